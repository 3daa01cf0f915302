import { PageHeader } from '../components/page-header';
import { Empty } from '../components/states';
import { routeHref } from '../router';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <>
      <PageHeader title="Page not found" />
      <Empty title={`The console has no page at ${path}.`}>
        <a href={routeHref('/')}>Go to the overview</a>
      </Empty>
    </>
  );
}
