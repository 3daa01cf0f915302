import { useEffect, useRef, useState } from 'preact/hooks';

import { api, ApiFailure, describeFailure, must } from '../api/client';
import type { ApiKeyIdentity } from '../api/types';

/** Keys the API issues: `seed_` and 43 base64url characters. */
const KEY_PATTERN = /^seed_[A-Za-z0-9_-]{43}$/;

/** Asks the API who a key is, without keeping it anywhere. */
export async function identify(key: string): Promise<ApiKeyIdentity> {
  return must(api.GET('/v1/me', { headers: { Authorization: `Bearer ${key}` } }));
}

/**
 * Sign-in: the person pastes an API key (`npm run api-key -- create`, or the demo's). It is checked
 * with `GET /v1/me` before it is kept, and kept only for this tab.
 */
export function LoginPage({
  notice,
  onSignedIn,
}: {
  notice: string | null;
  onSignedIn: (key: string, identity: ApiKeyIdentity) => void;
}) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = async () => {
    const candidate = key.trim();
    if (!KEY_PATTERN.test(candidate)) {
      setProblem('That is not an API key: keys start with seed_ and have 48 characters.');
      input.current?.focus();
      return;
    }
    setChecking(true);
    setProblem(null);
    try {
      const identity = await identify(candidate);
      setKey('');
      onSignedIn(candidate, identity);
    } catch (error) {
      setProblem(
        error instanceof ApiFailure && error.status === 401
          ? 'The API refused this key: it is unknown or revoked.'
          : describeFailure(error),
      );
      input.current?.focus();
    } finally {
      setChecking(false);
    }
  };

  return (
    <div class="login">
      <main class="login-card" id="main">
        <div class="brand brand-large">
          <img src="/console/favicon.svg" alt="" width={40} height={40} />
          <span>Seed</span>
        </div>
        <h1>Sign in to the Seed console</h1>
        <p class="muted">
          Paste an API key. A reader key sees everything; an admin key can also start scans. The key stays in
          this tab only and is sent only to this server.
        </p>
        {notice === null ? null : (
          <p class="state state-error" role="alert">
            {notice}
          </p>
        )}
        <form
          class="login-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <label for="api-key">API key</label>
          <input
            ref={input}
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={key}
            placeholder="seed_…"
            aria-describedby={problem === null ? 'api-key-help' : 'api-key-problem'}
            aria-invalid={problem !== null}
            onInput={(event) => {
              setKey(event.currentTarget.value);
            }}
          />
          <p id="api-key-help" class="hint">
            Create one with <code>npm run api-key -- create --name you --role reader</code>.
          </p>
          {problem === null ? null : (
            <p id="api-key-problem" class="field-error" role="alert">
              {problem}
            </p>
          )}
          <button type="submit" class="button button-primary" disabled={checking}>
            {checking ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
