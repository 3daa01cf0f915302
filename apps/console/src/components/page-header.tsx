import type { ComponentChildren } from 'preact';

/** The page's title (the one h1, focused when the page opens) and its actions. */
export function PageHeader({
  title,
  description,
  children,
}: {
  title: string;
  description?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <div class="page-header">
      <div>
        <h1 tabIndex={-1}>{title}</h1>
        {description === undefined ? null : <p class="page-description">{description}</p>}
      </div>
      {children === undefined ? null : <div class="page-actions">{children}</div>}
    </div>
  );
}

/** A titled block of a page. */
export function Section({
  title,
  id,
  actions,
  children,
  wide,
}: {
  title: string;
  id?: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const headingId = id === undefined ? undefined : `${id}-title`;
  return (
    <section class={wide === true ? 'card card-wide' : 'card'} aria-labelledby={headingId} id={id}>
      <div class="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions === undefined ? null : <div class="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
