# syntax=docker/dockerfile:1
# The TaskFlow server image. The builder compiles with the same package list and build script
# as tools/test; the runtime stage holds the binaries and their runtime packages only.
# Each step is a subcommand of deploy/docker/steps.sh, which tests/deploy exercises on every
# test run, because no machine of ours can run `docker build`.

FROM debian:12 AS builder
WORKDIR /src
# The package list changes far less often than the code: install first, so the layer is reused.
COPY tools/deps/ tools/deps/
COPY deploy/docker/steps.sh deploy/docker/steps.sh
RUN deploy/docker/steps.sh build-deps
COPY . .
# The build runs `npm ci` for the API reference's renderer: the step needs the npm registry
# (or a warm npm cache).
RUN --mount=type=cache,target=/root/.cache/ccache --mount=type=cache,target=/root/.npm deploy/docker/steps.sh build /out

FROM debian:12-slim AS runtime
COPY tools/deps/ /opt/taskflow/tools/deps/
COPY deploy/docker/steps.sh /opt/taskflow/deploy/docker/steps.sh
RUN /opt/taskflow/deploy/docker/steps.sh runtime-deps
RUN /opt/taskflow/deploy/docker/steps.sh user
COPY --from=builder /out/ /usr/local/bin/
ENV TASKFLOW_LISTEN=0.0.0.0:8080 \
    TASKFLOW_DATA_DIR=/var/lib/taskflow
USER 10001:10001
WORKDIR /var/lib/taskflow
EXPOSE 8080 9090 4242
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/opt/taskflow/deploy/docker/steps.sh", "healthcheck"]
ENTRYPOINT ["taskflow"]
CMD ["serve"]
