import { cacheControlOf, CONSOLE_CSP, consoleTarget, contentTypeOf } from './console-assets';

describe('console assets', () => {
  describe('consoleTarget', () => {
    it.each([
      ['/', '/console/'],
      ['/?x=1', '/console/'],
      ['/console', '/console/'],
    ])('redirects GET %s to %s', (url, location) => {
      expect(consoleTarget('GET', url)).toEqual({ kind: 'redirect', location });
    });

    it('serves index.html for the console root, with or without a query', () => {
      expect(consoleTarget('GET', '/console/')).toEqual({ kind: 'file', path: 'index.html' });
      expect(consoleTarget('HEAD', '/console/?theme=dark')).toEqual({ kind: 'file', path: 'index.html' });
    });

    it('maps a path under /console/ to that file of the build', () => {
      expect(consoleTarget('GET', '/console/assets/index-3f2a.js')).toEqual({
        kind: 'file',
        path: 'assets/index-3f2a.js',
      });
    });

    it.each([
      ['GET', '/v1/findings'],
      ['GET', '/docs'],
      ['GET', '/consoles'],
      ['POST', '/console/'],
      ['POST', '/'],
      ['DELETE', '/console/index.html'],
    ])('leaves %s %s to the API', (method, url) => {
      expect(consoleTarget(method, url)).toEqual({ kind: 'none' });
    });
  });

  it('keeps hashed assets for a year and revalidates everything else', () => {
    expect(cacheControlOf('assets/index-3f2a.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.svg')).toBe('no-cache');
  });

  it('names the media type of each kind of build file, and no type it cannot name', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('assets/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('assets/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('favicon.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('notes')).toBe('application/octet-stream');
  });

  it('allows no inline script or style, no other origin and no framing', () => {
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("style-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
    expect(CONSOLE_CSP).not.toMatch(/https?:|data:|\*/);
  });
});
