# syntax=docker/dockerfile:1
# Multi-stage build: install production dependencies with the lockfile, then copy the app into a
# slim runtime. Node 24 runs the TypeScript sources directly (type stripping), so there is no
# compile step.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN npm i -g pnpm@10
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .node-version ./
COPY api/package.json api/
COPY worker/package.json worker/
COPY portal/package.json portal/
COPY test/package.json test/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/server/package.json packages/server/
COPY packages/signing/package.json packages/signing/
RUN pnpm install --frozen-lockfile --prod
COPY . .

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 8080
# Role comes from HOOKLINE_ROLE (all, api or worker); `migrate` applies migrations and exits.
ENTRYPOINT ["node", "bin/hookline.ts"]
CMD ["start"]
