# One image for every Patchpad process; docker-compose.yml picks the command per service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY backend/package.json backend/
COPY worker/package.json worker/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:gateway
ENV NODE_ENV=production
EXPOSE 8080 8081 5173 5174
CMD ["node_modules/.bin/tsx", "backend/src/main.ts"]
