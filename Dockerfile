# syntax=docker/dockerfile:1
# Production image: `docker build -t japan-ai-watch .` then run with REDIS_URL set (see docker-compose.yml).

# --- build: every dependency, then tsc to dist/ ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Our postinstall links the CLI into node_modules/.bin for development; not needed to build.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src src
RUN npm run build

# --- runtime: production dependencies only, plain JavaScript, not root ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# npm's cache lives in a build cache mount, not in the image.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist dist
COPY bin bin
COPY config config
# `aiwatch demo` and `eval` read the seed articles and the labelled sets.
COPY tests/fixtures tests/fixtures
USER node
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is the container's main process (no npm or shell in between): `docker stop` sends it
# SIGTERM and it finishes the jobs in hand, closes the queues and Redis, then exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["start"]
