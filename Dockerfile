# syntax=docker/dockerfile:1
# One image for the worker, the API, the migrate job and the emulator; the command picks the role
# (docker-compose.yml). TypeScript runs through @swc-node/register, exactly as `npm run worker` does.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
# The image is only built from sources that typecheck.
RUN npm run typecheck
# The web console: static files the API serves at /console/ (built here, where dev dependencies are).
RUN npm run console:build

FROM node:20.20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    AUDIT_CONFIG=/etc/seed/audit.config.yaml \
    SWC_NODE_CACHE_DIR=/app/.cache
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json /app/.swcrc ./
COPY --from=build /app/apps ./apps
COPY --from=build /app/libs ./libs
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/dist/console ./dist/console
# The sources stay root-owned and read-only to the service; only the compile cache is its own.
RUN mkdir -p /app/.cache && chown node:node /app/.cache
USER node
# The API's port (the worker and the migrate job listen on none).
EXPOSE 3000
# Default probe, for the default role (the worker, which serves no HTTP): its database answers.
# docker-compose.yml gives the API its own probe on /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const c=new (require('pg').Client)({connectionString:process.env.DATABASE_URL,connectionTimeoutMillis:3000});c.connect().then(()=>c.query('SELECT 1')).then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))"]
CMD ["node", "-r", "@swc-node/register", "apps/worker/src/main.ts"]
