# syntax=docker/dockerfile:1
# Chợ OCOP: one static binary (templates, assets, migrations and seed data
# embedded) on a distroless base, running as a non-root user.

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-trimpath GOTOOLCHAIN=go1.27.3
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -ldflags="-s -w" -o /out/ocop ./cmd/ocop
# The data directory, made here because the distroless stage has no shell.
RUN mkdir -p /out/var

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ocop /usr/local/bin/ocop
# The SQLite default (sqlite:var/ocop.db) and uploads (OCOP_DATA_DIR) live in
# /home/nonroot/var. It must exist in the image, owned by the nonroot user
# (uid 65532), before VOLUME: a new named volume copies the image's folder
# with its owner, while a folder missing from the image makes a root-owned
# volume the app cannot write to (it then stops at start, over and over).
COPY --from=build --chown=65532:65532 /out/var /home/nonroot/var
WORKDIR /home/nonroot
ENV OCOP_ADDR=:8080 \
    OCOP_DATA_DIR=/home/nonroot/var
USER nonroot:nonroot
EXPOSE 8080
VOLUME ["/home/nonroot/var"]
# No shell or curl here: the binary asks its own /healthz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/ocop", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/ocop"]
CMD ["serve"]
