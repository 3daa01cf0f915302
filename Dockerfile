# syntax=docker/dockerfile:1
# Seed's image: the worker, the API and the CLIs compiled to JavaScript (dist/), on production
# dependencies only; the command picks the role (docker-compose.yml). `npm run build:size` prints
# what the runtime stage adds to the base image; `npm run smoke:dist` runs that payload in CI.
#
# Targets: `runtime` (the default, the last stage) is what you deploy. `emulator` is the OSS
# emulator for a local trial (`docker compose --profile local`), run from its TypeScript sources
# on the build stage's full dependencies: it is never deployed.

# Node.js 22 LTS (22.23.2) on Debian bookworm, slim, pinned to the multi-platform index digest the
# Docker Official Images publish for it (docker-library/repo-info, repos/node/remote/22-bookworm-slim.md
# at commit 3179cb4d576b9929bf86873c87f279ac67661c6e). Bump tag and digest together.
ARG NODE_IMAGE=node:22.23.2-bookworm-slim@sha256:48e4b67d85f87bd551df43704e24d252f56cc5f8e9718841aace50f19948f0f9

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
COPY scripts ./scripts
# Only sources that typecheck are built. The build writes dist/apps, dist/libs and dist/migrations;
# a web console built here into dist/console ships with them (the runtime stage copies dist/ whole).
RUN npm run typecheck && npm run build && npm run console:build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Dev/trial only: `npm run emulator` in a container, listening on every interface.
FROM build AS emulator
ENV SWC_NODE_CACHE_DIR=/app/.cache
RUN mkdir -p /app/.cache && chown node:node /app/.cache
USER node
EXPOSE 9000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "require('net').connect(9000,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"]
CMD ["node", "-r", "@swc-node/register", "apps/oss-emulator/src/main.ts", "--host", "0.0.0.0", "--port", "9000"]

FROM ${NODE_IMAGE} AS runtime
# Source maps ship with dist/: stack traces in the logs name TypeScript files and lines.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    AUDIT_CONFIG=/etc/seed/audit.config.yaml
WORKDIR /app
# Root-owned and read-only to the service, which writes nothing to disk.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
USER node
# The API's port and the worker's metrics port (the migrate job listens on none).
EXPOSE 3000 9464
# Default probe, for the default role (the worker): its metrics endpoint answers while its event
# loop runs. docker-compose.yml gives the API its own probe on /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/metrics').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/worker/src/main.js"]
