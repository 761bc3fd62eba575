# syntax=docker/dockerfile:1
# TCP Lab in two stages: a builder with the Rust toolchain and the wasm target, and a slim
# runtime with only the server binary and the built browser app. docker-compose.yml uses this file.

FROM rust:1.95-bookworm AS builder
# wasm-bindgen runs inside `cargo xtask` (as a library pinned to the app's version): no other tool.
RUN rustup target add wasm32-unknown-unknown
WORKDIR /src
COPY . .
# The caches keep crates and build artefacts between image builds; the results are copied out of
# target/ within the same step because cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo xtask dist \
 && cargo build --release --locked --package tcplab \
 && install -D target/release/tcplab /out/tcplab

FROM debian:bookworm-slim AS runtime
# A fixed, unprivileged user; the data folder belongs to it so the named volume inherits that owner.
RUN groupadd --system --gid 10001 tcplab \
 && useradd --system --uid 10001 --gid tcplab --home-dir /var/lib/tcplab --shell /usr/sbin/nologin tcplab \
 && mkdir -p /var/lib/tcplab \
 && chown tcplab:tcplab /var/lib/tcplab
COPY --from=builder /out/tcplab /usr/local/bin/tcplab
COPY --from=builder /src/dist /usr/share/tcplab/dist
COPY --from=builder /src/content /usr/share/tcplab/content
ENV TCPLAB_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/tcplab/tcplab.db \
    TCPLAB_STATIC_DIR=/usr/share/tcplab/dist \
    TCPLAB_CONTENT_DIR=/usr/share/tcplab/content \
    RUST_LOG=info
USER 10001:10001
WORKDIR /var/lib/tcplab
VOLUME ["/var/lib/tcplab"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["tcplab", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
# SIGTERM (docker stop) lets the server finish requests in flight and close the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["tcplab"]
