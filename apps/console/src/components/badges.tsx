import type {
  ControlStatus,
  DriftDirection,
  EncryptionClass,
  ExceptionState,
  ScanStatus,
  Severity,
} from '../api/types';
import { EXCEPTION_STATE_LABELS } from '../lib/exceptions';
import {
  CLASS_INFO,
  CONTROL_STATUS_LABELS,
  DIRECTION_LABELS,
  SCAN_STATUS_LABELS,
  SEVERITY_LABELS,
} from '../lib/vocabulary';

/** Badges say their meaning in words; colour only repeats it. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span class={`badge severity-${severity}`}>{SEVERITY_LABELS[severity]}</span>;
}

export function ClassBadge({ value }: { value: EncryptionClass }) {
  const info = CLASS_INFO[value];
  return (
    <span class={`badge class-${value}`} title={info.description}>
      {info.label}
    </span>
  );
}

export function ScanStatusBadge({ status }: { status: ScanStatus }) {
  return <span class={`badge scan-${status}`}>{SCAN_STATUS_LABELS[status]}</span>;
}

export function DirectionBadge({ direction }: { direction: DriftDirection }) {
  return <span class={`badge direction-${direction}`}>{DIRECTION_LABELS[direction]}</span>;
}

/** A neutral badge for states without a scale (finding status, alert delivery status, roles). */
export function TagBadge({
  tone,
  children,
}: {
  tone: 'good' | 'bad' | 'warn' | 'neutral';
  children: string;
}) {
  return <span class={`badge tone-${tone}`}>{children}</span>;
}

/** An exception's state now: only `active` suppresses. */
export function ExceptionStateBadge({ state }: { state: ExceptionState }) {
  return <span class={`badge exception-${state}`}>{EXCEPTION_STATE_LABELS[state]}</span>;
}

/** A control result: suppressed is its own state, never shown as a pass or a failure. */
export function ControlStatusBadge({ status }: { status: ControlStatus }) {
  return <span class={`badge control-${status}`}>{CONTROL_STATUS_LABELS[status]}</span>;
}
