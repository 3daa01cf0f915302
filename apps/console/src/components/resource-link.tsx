import type { Finding } from '../api/types';
import { KIND_LABELS } from '../lib/vocabulary';
import { routeHref } from '../router';

/** A resource's name, linking to its page, with its kind for screen readers and on hover. */
export function ResourceLink({ resource }: { resource: Finding['resource'] }) {
  return (
    <a href={routeHref(`/resources/${resource.id.toString()}`)} title={resource.resourceKey}>
      {resource.name}
      <span class="visually-hidden"> ({KIND_LABELS[resource.kind]})</span>
    </a>
  );
}
