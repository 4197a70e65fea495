# tickvault in a container: the Maven wrapper builds the runnable jar, a JRE image runs it.
# Used by compose.yaml. No container engine runs on our build machines: this file and compose.yaml are
# checked statically by ComposeFileTest (see docs/operations.md).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# dependencies first, so that a source change does not download them again
RUN ./mvnw -q -B dependency:go-offline
COPY src src
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /data tickvault
COPY --from=build /src/target/tickvault.jar /opt/tickvault/tickvault.jar
COPY scripts/docker/tickvault scripts/docker/every /opt/tickvault/bin/
RUN chmod 755 /opt/tickvault/bin/tickvault /opt/tickvault/bin/every
ENV PATH=/opt/tickvault/bin:$PATH
USER tickvault
# data/tickvault.db, data/mirror.db and data/archive live in the volume mounted here
WORKDIR /data
EXPOSE 8001
ENTRYPOINT ["tickvault"]
CMD ["--help"]
