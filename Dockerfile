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

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ocop /usr/local/bin/ocop
# /home/nonroot is writable by the nonroot user (uid 65532): the SQLite
# default (sqlite:var/ocop.db) and uploads (OCOP_DATA_DIR) live under it.
WORKDIR /home/nonroot
ENV OCOP_ADDR=:8080 \
    OCOP_DATA_DIR=/home/nonroot/var
USER nonroot:nonroot
EXPOSE 8080
VOLUME ["/home/nonroot/var"]
ENTRYPOINT ["/usr/local/bin/ocop"]
CMD ["serve"]
