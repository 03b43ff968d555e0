# One image for both processes of the Procfile: `web` is the default command, `worker` runs the same
# image with `node dist/src/bin/worker.js` (docker-compose.yml). Three stages, so that the image holds
# production dependencies only and no compiler, sources or tests.
#
#   docker build -t apigw-doctor .
#   docker run --env-file .env -p 3000:3000 apigw-doctor                       # web
#   docker run --env-file .env apigw-doctor node dist/src/bin/worker.js        # worker
#
# test/integration/container-image.test.ts runs these stages without a Docker engine: keep to the
# instructions it knows (FROM … AS, WORKDIR, COPY [--from], RUN, ENV, USER, EXPOSE, HEALTHCHECK, CMD).

# Compiles TypeScript into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies before sources, so that a source change reuses this layer. No scripts: `prepare` would
# build before the sources are here.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY handlers ./handlers
RUN npm run build

# Production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# What runs: the compiled code, the knowledge base (found next to package.json), and manifest.yml
# (`doctor` compares the token's scopes with it).
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/handlers ./dist/handlers
COPY package.json manifest.yml ./
COPY knowledge ./knowledge
USER node
EXPOSE 3000
# /healthz of web (on PORT) or of a worker (on HEALTH_PORT, which compose sets): 200 when Redis answers PING
# (and the worker takes jobs). The slim image has no curl: Node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/bin/web.js"]
