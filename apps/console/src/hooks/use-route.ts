import { useEffect, useState } from 'preact/hooks';

import { parseRoute, type Query, type Route, routeHref } from '../router';

/** The route of the current location fragment, following Back, Forward and links. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return route;
}

/** Goes to a route (a new history entry, so Back returns). */
export function navigate(path: string, query: Query = {}): void {
  window.location.hash = routeHref(path, query);
}
