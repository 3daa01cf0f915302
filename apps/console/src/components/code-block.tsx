import { useRef, useState } from 'preact/hooks';

/**
 * A command or snippet to review and run, with a Copy button. Where the browser refuses the
 * clipboard (no permission, not a secure context), the text is selected so Ctrl+C copies it.
 */
export function CodeBlock({ label, text }: { label: string; text: string }) {
  const code = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const selectText = () => {
    const selection = window.getSelection();
    if (code.current === null || selection === null) return;
    selection.selectAllChildren(code.current);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied.');
    } catch {
      selectText();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };

  return (
    <figure class="code-block">
      <figcaption>
        <span>{label}</span>
        <button
          type="button"
          class="button button-small"
          aria-label={`Copy: ${label}`}
          onClick={() => void copy()}
        >
          Copy
        </button>
        <span class="code-copied" role="status">
          {copied}
        </span>
      </figcaption>
      <pre ref={code} tabIndex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
    </figure>
  );
}
