# runner: headless agent runner for CI.
#   docker build -t runner .
#   docker run --rm --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
#     --security-opt systempaths=unconfined --user "$(id -u):$(id -g)" -v "$PWD:/workspace" -e OPENAI_API_KEY \
#     runner exec --output-schema schema.json "task"
# (the options let bubblewrap, the default sandbox, make its namespaces; ci/docker-smoke.sh runs this for real)
# Stage 1 builds with the Maven wrapper; stage 2 makes a jlink'd runtime and trains the AOT cache on a real emulator
# run (ci/build-runtime.sh, the same script ci/image-smoke.sh runs outside Docker); stage 3 is the small non-root image.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY runner runner
COPY schemas schemas
COPY ci ci
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:25-jdk AS runtime
COPY --from=build /src /src
WORKDIR /src
# The install lives at the same path in the final image: the AOT cache records the class path it was trained with.
RUN ci/build-runtime.sh /opt/runner "$JAVA_HOME"

FROM debian:bookworm-slim
# tini is PID 1: it reaps orphaned processes and passes signals on (the JVM as PID 1 would leave zombies behind).
# /workspace is a safe.directory: a checkout mounted there is usually owned by another uid than the container's
# user, and git refuses such a repository ("dubious ownership") unless told it is the job's own.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 runner \
 && git config --system --add safe.directory /workspace
COPY --from=runtime /opt/runner /opt/runner
RUN ln -s /opt/runner/runner /usr/local/bin/runner
USER runner
# session files (resume, fork) go where any --user may write: a uid without a passwd entry has HOME=/
ENV RUNNER_HOME=/tmp/runner
WORKDIR /workspace
ENTRYPOINT ["tini", "--", "runner"]
CMD ["--help"]
