# syntax=docker/dockerfile:1
# pyguard GitHub App. Build: docker build -t pyguard .
# Run:   docker run --env-file .env -p 3000:3000 pyguard

# --- build: compile TypeScript with the dev dependencies -----------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (tsc) needs the sources, copied below; tree-sitter's native
# addons ship prebuilds that node-gyp-build loads, so nothing needs compiling.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and dist/ only ---------------------------------------
# Debian (glibc), not Alpine: the tree-sitter prebuilds for linux-x64 are glibc builds.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY app.yml ./
# The image's unprivileged user; the app writes nothing to disk.
USER node
EXPOSE 3000
# Probot's server answers GET /ping with PONG.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/github/server.js"]
