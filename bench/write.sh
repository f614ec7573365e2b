#!/usr/bin/env bash
# Write throughput of one route under contention, every request on the same parent row:
#   ROUTE=progress (default)  PUT /lessons/{id}/progress as one learner
#   ROUTE=modules             POST /courses/{id}/modules as an administrator (one course)
#
#   bench/write.sh [BINARY] [DATABASE_URL]
#
# BINARY defaults to target/release/rusing-academy (build it with `cargo build --release`);
# DATABASE_URL defaults to a fresh SQLite file; for MariaDB pass mysql://root@127.0.0.1:3306/<db>
# (the database is created, migrated and seeded with the demo data). Needs wrk, curl and jq.
# Prints requests/s, latency and the count of answers by status (any 5xx is a failure).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../target/release/rusing-academy}
data=$(mktemp -d)
url=${2:-sqlite://$data/bench.db}
port=${PORT:-18080}
if [[ $url == mysql://* ]]; then
  db=${url##*/}
  mariadb --protocol=tcp -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
fi
export DATABASE_URL=$url DATA_DIR=$data PORT=$port AUTO_MIGRATE=true LOG_FORMAT=json RUST_LOG=error \
  JWT_SECRET=bench-secret-bench-secret-bench-secret-00 RATE_LIMIT_LOGIN_PER_MINUTE=1000
"$binary" migrate up >/dev/null
"$binary" seed-demo >/dev/null
"$binary" serve >"$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.2; done

password=${DEMO_PASSWORD:-Bilingual-Demo-2026}
login() {
  curl -sf -X POST "localhost:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$password\"}" | jq -r .accessToken
}
case ${ROUTE:-progress} in
  progress)
    TOKEN=$(login emily.thompson@demo.rusingacademy.ca)
    course=$(curl -sf "localhost:$port/api/v1/users/me/enrollments" -H "authorization: Bearer $TOKEN" | jq -r '.items[0].course.id // .items[0].courseId')
    lesson=$(curl -sf "localhost:$port/api/v1/courses/$course" -H "authorization: Bearer $TOKEN" | jq -r '[.modules[].lessons[] | select(.type != "quiz")][0].id')
    METHOD=PUT TARGET=/api/v1/lessons/$lesson/progress BODY='{"progress": 40, "timeSpentSeconds": 1}' ;;
  modules)
    TOKEN=$(login admin@demo.rusingacademy.ca)
    course=$(curl -sf "localhost:$port/api/v1/courses?limit=1" | jq -r '.items[0].id')
    METHOD=POST TARGET=/api/v1/courses/$course/modules BODY='{"title": "Bench", "titleFr": "Banc"}' ;;
  *) echo "unknown ROUTE" >&2; exit 2 ;;
esac
export TOKEN METHOD TARGET BODY
wrk -t2 -c${CONNECTIONS:-20} -d${DURATION:-10s} -s "$here/write.lua" "http://127.0.0.1:$port"
