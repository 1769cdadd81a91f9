# Production image: one image, two process types (web, worker) — see Procfile.
# Needs DATABASE_URL, REDIS_URL, ENCRYPTION_KEY, SHOPIFY_API_KEY/SECRET, SHOPIFY_APP_URL.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build@localhost/build npx prisma generate && npx remix build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
EXPOSE 3000
# Runs migrations, then the web process. Run the worker from the same image with: npm run worker
CMD ["sh", "-c", "npx prisma migrate deploy && node --import tsx scripts/web.ts"]
