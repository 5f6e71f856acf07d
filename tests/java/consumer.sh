#!/usr/bin/env bash
# A fresh Maven project outside the repository that depends on org.dstoken:dstoken:<version>
# as installed (by `mvn install`, ctest's java_maven) in the local repository DSTOKEN_M2; it
# mints a token with Dstoken.mint, verifies it with com.auth0 java-jwt the way Digital Samba's
# docs do, and runs as `java -cp dstoken.jar:app.jar:... App` with no -D option and no
# LD_LIBRARY_PATH, so the native code can only come from the jar.
# Environment: DSTOKEN_VERSION, DSTOKEN_M2 (local repository), DSTOKEN_MVN (default mvn), DSTOKEN_JAVA.
set -euo pipefail
: "${DSTOKEN_VERSION:?}" "${DSTOKEN_M2:?}"
mvn="${DSTOKEN_MVN:-mvn}"
java="${DSTOKEN_JAVA:-java}"
work="$(mktemp -d "${TMPDIR:-/tmp}/dstoken-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/main/java/app"
cat >"$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>app</groupId>
  <artifactId>app</artifactId>
  <version>1.0</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.dstoken</groupId>
      <artifactId>dstoken</artifactId>
      <version>${DSTOKEN_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>com.auth0</groupId>
      <artifactId>java-jwt</artifactId>
      <version>4.4.0</version>
    </dependency>
  </dependencies>
  <build>
    <finalName>app</finalName>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.6.1</version></plugin>
    </plugins>
  </build>
</project>
EOF
cat >"$work/src/main/java/app/App.java" <<'EOF'
package app;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import org.dstoken.Dstoken;
import org.dstoken.SigningKey;

public class App {
    public static void main(String[] args) {
        String developerKey = "consumer-developer-key";
        String token;
        try (SigningKey key = SigningKey.of(developerKey)) {
            token = Dstoken.mint(key, "team-id", "daily-standup", "John Smith", "moderator", Duration.ofHours(1));
        }
        // Digital Samba's docs: verify with java-jwt and the developer key.
        DecodedJWT jwt = JWT.require(Algorithm.HMAC256(developerKey)).build().verify(token);
        if (!"John Smith".equals(jwt.getClaim("u").asString()) || !"daily-standup".equals(jwt.getClaim("rd").asString())) {
            throw new AssertionError("java-jwt read other claims: " + jwt.getPayload());
        }
        System.out.println("consumer: dstoken " + Dstoken.version() + " token verified by java-jwt");
        System.out.println("consumer: native library: " + Dstoken.nativeLibrary());
    }
}
EOF
cd "$work"
echo "== consumer project in $work: mvn package (org.dstoken:dstoken:$DSTOKEN_VERSION from $DSTOKEN_M2)"
"$mvn" -B -ntp -Dmaven.repo.local="$DSTOKEN_M2" package dependency:copy-dependencies
cp="target/dependency/dstoken-$DSTOKEN_VERSION.jar:target/app.jar"
for j in target/dependency/*.jar; do
  [[ "$j" == */dstoken-* ]] || cp="$cp:$j"
done
echo "== java -cp dstoken-$DSTOKEN_VERSION.jar:app.jar:<java-jwt jars> app.App"
out="$(env -u LD_LIBRARY_PATH "$java" -cp "$cp" app.App)"
echo "$out"
grep -q "token verified by java-jwt" <<<"$out"
grep -q "native library: bundled copy" <<<"$out"
echo "consumer: OK"
