# syntax=docker/dockerfile:1
# Build: a release binary from the locked workspace.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin rusing-academy \
 && strip target/release/rusing-academy

# Run: a slim image with the binary only, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --create-home app \
 && chmod 700 /data
COPY --from=build /src/target/release/rusing-academy /usr/local/bin/rusing-academy
USER app
WORKDIR /data
ENV APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["rusing-academy"]
CMD ["serve"]
