#!/usr/bin/env bash
# Chat history: the latest page of a room holding a million messages against a page 10,000 deep,
# read by cursor (keyset on (sentAt, id)): both should cost the same.
#
#   bench/chat-history.sh [BINARY] [DATABASE_URL]
#
# BINARY defaults to target/release/rusing-academy (`cargo build --release`); DATABASE_URL to a
# fresh SQLite file; for MariaDB pass mysql://root@127.0.0.1:3306/<db> (created, migrated and
# seeded). MESSAGES (default 1000000), LIMIT (page size, 50), PAGE (10000), CONNECTIONS (16) and
# DURATION (10s) tune the run. Installs wrk with apt when missing; needs curl, jq, python3.
# Prints one JSON line per page: requests/s, p50/p99 latency, non-2xx answers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../target/release/rusing-academy}
data=$(mktemp -d)
url=${2:-sqlite://$data/bench.db}
port=${PORT:-18081}
messages=${MESSAGES:-1000000}
limit=${LIMIT:-50}
page=${PAGE:-10000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [[ $url == mysql://* ]]; then
  db=${url##*/}
  mysql_db() { mariadb --protocol=tcp -h 127.0.0.1 -uroot "$@"; }
  mysql_db -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
fi
export DATABASE_URL=$url DATA_DIR=$data PORT=$port AUTO_MIGRATE=true LOG_FORMAT=json RUST_LOG=error \
  JWT_SECRET=bench-secret-bench-secret-bench-secret-00 RATE_LIMIT_LOGIN_PER_MINUTE=1000 JOB_WORKERS=0
"$binary" migrate up >/dev/null
"$binary" seed-demo >/dev/null

# The demo's direct room of Emily Thompson and her coach gets $messages more messages, one
# second apart, written straight into the table (the API would take hours).
room=1
sender=$(python3 - "$url" <<'PY'
import sys, sqlite3
url = sys.argv[1]
if url.startswith("sqlite://"):
    db = sqlite3.connect(url[len("sqlite://"):].split("?")[0])
    print(db.execute("SELECT senderId FROM chatMessages WHERE roomId = 1 LIMIT 1").fetchone()[0])
else:
    print(0)
PY
)
echo "filling room $room with $messages messages" >&2
if [[ $url == mysql://* ]]; then
  sender=$(mysql_db -N "$db" -e "SELECT senderId FROM chatMessages WHERE roomId = $room LIMIT 1")
  mysql_db "$db" -e "
    CREATE TEMPORARY TABLE digits (d INT);
    INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
    INSERT INTO chatMessages (roomId, senderId, content, type, sentAt, createdAt, updatedAt)
    SELECT $room, $sender, CONCAT('Message ', n), 'text', t, t, t FROM (
      SELECT n, DATE_SUB(UTC_TIMESTAMP(6), INTERVAL (n + 86400) SECOND) AS t FROM (
        SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 100000*g.d AS n
        FROM digits a, digits b, digits c, digits e, digits f, digits g) numbers
      WHERE n < $messages) rows_;"
else
  python3 - "${url#sqlite://}" "$room" "$sender" "$messages" <<'PY'
import sys, sqlite3, datetime
path, room, sender, count = sys.argv[1].split("?")[0], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db = sqlite3.connect(path)
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
def rows():
    for n in range(count):
        t = (start - datetime.timedelta(seconds=n)).isoformat(timespec="microseconds")
        yield (room, sender, f"Message {n}", "text", t, t, t)
db.executemany("INSERT INTO chatMessages (roomId, senderId, content, type, sentAt, createdAt, updatedAt) VALUES (?,?,?,?,?,?,?)", rows())
db.commit()
PY
fi

"$binary" serve >"$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.2; done
password=${DEMO_PASSWORD:-Bilingual-Demo-2026}
TOKEN=$(curl -sf -X POST "localhost:$port/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"emily.thompson@demo.rusingacademy.ca\",\"password\":\"$password\"}" | jq -r .accessToken)

# Walk to page $page once by following nextCursor would take $page requests; the cursor of its
# predecessor's last message is computed instead, and the page checked once.
first=/api/v1/chat/rooms/$room/messages?limit=$limit
cursor_row=$(( (page - 1) * limit - 1 ))
if [[ $url == mysql://* ]]; then
  read -r at id < <(mysql_db -N "$db" -e "SELECT DATE_FORMAT(sentAt, '%Y-%m-%dT%H:%i:%s.%f'), id FROM chatMessages WHERE roomId = $room ORDER BY sentAt DESC, id DESC LIMIT 1 OFFSET $cursor_row")
else
  read -r at id < <(sqlite3 -separator ' ' "${url#sqlite://}" "SELECT substr(sentAt, 1, 26), id FROM chatMessages WHERE roomId = $room ORDER BY sentAt DESC, id DESC LIMIT 1 OFFSET $cursor_row")
fi
cursor=$(python3 -c '
import sys, datetime, base64
at = datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=datetime.timezone.utc)
nanos = int(at.timestamp()) * 10**9 + at.microsecond * 1000
print(base64.urlsafe_b64encode(f"{nanos}:{sys.argv[2]}".encode()).decode().rstrip("="))' "$at" "$id")
deep=/api/v1/chat/rooms/$room/messages?limit=$limit\&before=$cursor
got=$(curl -sf "localhost:$port$deep" -H "authorization: Bearer $TOKEN" | jq '.items | length')
[ "$got" = "$limit" ] || { echo "page $page holds $got messages" >&2; exit 1; }

export TOKEN METHOD=GET BODY=
for target in "$first" "$deep"; do
  name=$([ "$target" = "$first" ] && echo "page 1" || echo "page $page")
  out=$(TARGET=$target wrk -t1 -c"${CONNECTIONS:-16}" -d"${DURATION:-10s}" --latency -s "$here/write.lua" "http://127.0.0.1:$port")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/status [^2]/ {s += $3} END {print s + 0}' <<<"$out")
  printf '{"scenario":"chat history %s","database":"%s","messages":%d,"requests_per_s":%s,"p50":"%s","p99":"%s","errors":%d}\n' \
    "$name" "${url%%:*}" "$messages" "$rps" "$p50" "$p99" "$errors"
done
