/**
 * Every command the user documentation gives (see doc-commands.ts), with the test file that runs it exactly as
 * written, or the reason it is not run. documented-commands.test.ts keeps this list and the documents in step:
 * a new command in a document fails that test until it is listed here, with a test whose source holds its text.
 */
export type Coverage = { test: string } | { notRun: string };

const START = 'e2e/docs/start-commands.test.ts';
const ADMIN = 'e2e/docs/admin-commands.test.ts';
const API = 'e2e/docs/api-examples.test.ts';
const TOOLS = 'e2e/docs/tool-commands.test.ts';
const DEV_SERVICES = 'e2e/docs/dev-services.test.ts';
const BACKUPS = 'e2e/docs/backup-commands.test.ts';

const INSTALL = 'reinstalls node_modules under the running test suite: .ci/run runs `npm ci` then `npm test` on a clean clone';
const RUNS_TESTS = 'runs part of the test suite itself; `npm test` (run by .ci/run) runs all of it';
const FIRMWARE = 'firmware/readme-commands.test.ts';
const ESP32 = 'needs the ESP32 toolchain (PlatformIO or arduino-cli with the esp32 core), which no registry reachable here provides, and a board on USB; the sketch\'s portable parts are built and tested on the host';
const ACCOUNT = 'needs a Cloudflare account; `wrangler dev` is run instead';

export const COMMAND_REGISTRY: Record<string, Coverage> = {
  // Starting TaxiWatch
  'npm start': { test: START },
  'npm start -- --demo': { test: START },
  'DEMO_SIMULATOR=1 npm start': { test: START },
  'npx deno task start': { test: START },
  'deno task start': { test: START },
  'DATABASE_URL=… REDIS_URL=… npx deno task start': { test: START },
  'npx wrangler dev': { test: START },
  'wrangler dev': { test: START },
  'VISION_ANALYSER=cloud OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_VISION_MODEL=qwen2.5vl:7b OPENAI_TIMEOUT_MS=60000 npm start': { test: START },
  'VISION_ANALYSER=cloud OPENAI_BASE_URL=http://127.0.0.1:8000/v1 OPENAI_VISION_MODEL=Qwen/Qwen2.5-VL-7B-Instruct npm start': { test: START },
  'npm ci && npm start': { notRun: `${INSTALL}; this registry's start tests run \`npm start\`` },
  'npm ci && npm test': { notRun: INSTALL },
  'npm ci': { notRun: INSTALL },
  'npm test': { notRun: 'is the test run itself (.ci/run runs it)' },
  'npm run lint:imports': { test: 'e2e/ci/import-rules.test.ts' },
  'npm run format:check': { test: 'e2e/ci/import-rules.test.ts' },
  'npm run format': { notRun: 'rewrites every file of the tree; it is run once, on its own, when the team chooses (docs/develop/tests.md)' },

  // Workers
  'npm run worker': { notRun: 'needs a shared Postgres (DATABASE_URL) and runs until stopped; e2e/vision-workers.test.ts starts the same entry (edge/runtime/node-worker.ts) twice on Postgres and kills one' },
  'DATABASE_URL=postgres://taxiwatch@db.internal/taxiwatch npm run worker': { notRun: 'needs a shared Postgres and runs until stopped; e2e/vision-workers.test.ts starts the same entry (edge/runtime/node-worker.ts) twice on Postgres and kills one' },
  'DATABASE_URL=postgres://taxiwatch@db.internal/taxiwatch npm run worker -- --jobs analyse-frame': { notRun: 'runs until stopped; e2e/vision-workers.test.ts starts edge/runtime/node-worker.ts --jobs analyse-frame on Postgres' },
  'DATABASE_URL=postgres://taxiwatch@db.internal/taxiwatch deno task worker --jobs analyse-frame': { notRun: 'runs until stopped; the Deno entry shares boot-worker.ts with the Node one that e2e/vision-workers.test.ts runs' },
  'npm run dev:services': { test: DEV_SERVICES },
  'npm run dev:services -- --write': { test: DEV_SERVICES },
  'npx wrangler deploy': { notRun: ACCOUNT },
  'wrangler deploy': { notRun: ACCOUNT },
  'npx wrangler secret put DATABASE_URL': { notRun: ACCOUNT },

  // Admin CLI and migrations
  'SMTP_URL=smtp://… npm run admin -- send-test-email <address>': { test: 'e2e/docs/email-commands.test.ts' },
  'RESEND_API_KEY=… npm run admin -- send-test-email <address>': { test: 'e2e/docs/email-commands.test.ts' },
  'npm run migrate': { test: ADMIN },
  'DATABASE_URL=postgres://… npm run migrate': { test: ADMIN },
  'npm run admin': { test: ADMIN },
  'npm run admin -- <command>': { test: ADMIN },
  'npm run admin -- help': { test: ADMIN },
  'npm run admin -- create-fleet --name "Radio Taxi" --timezone Europe/Madrid --locale es --speed-limit 50 --json': { test: ADMIN },
  'npm run admin -- create-vehicle --fleet FLEET_ID --plate 1234ABC --json': { test: ADMIN },
  'npm run admin -- create-driver --fleet FLEET_ID --name "Ana Ruiz" --licence-expires 2027-05-31 --json': { test: ADMIN },
  'npm run admin -- assign-driver --vehicle VEHICLE_ID --driver DRIVER_ID --json': { test: ADMIN },
  'npm run admin -- create-device --vehicle VEHICLE_ID --json': { test: ADMIN },
  'npm run admin -- create-device --vehicle <vehicle id>': { test: ADMIN },
  'npm run admin -- create-device --vehicle VEHICLE_ID --camera-role road --json': { test: ADMIN },
  'npm run admin -- set-camera-role --device DEVICE_ID --camera-role dual --json': { test: ADMIN },
  'npm run admin -- verify-pack evidence-pack.zip': { test: 'edge/runtime/verify-pack-command.test.ts' },
  "npm run admin -- create-admin --email ops@example.com --password '…' --json": { test: ADMIN },
  "npm run admin -- create-user --fleet FLEET_ID --email viewer@example.com --password '…' --role viewer --json": { test: ADMIN },
  'npm run admin -- create-api-key --fleet FLEET_ID --scopes read:vehicles,read:incidents --json': { test: ADMIN },
  'npm run admin -- list-fleets --json': { test: ADMIN },
  'npm run admin -- reset-password': { test: ADMIN },
  'npm run admin -- reset-password --email owner@taxiwatch.local': { test: ADMIN },
  "npm run admin -- reset-password --email owner@taxiwatch.local --password '…'": { test: ADMIN },
  'npm run admin -- reset-mfa': { test: ADMIN },
  'npm run admin -- reset-mfa --email admin@taxiwatch.local': { test: ADMIN },

  // Backups and restore (docs/operate/backups.md)
  'pg_dump --format=custom --file=taxiwatch.dump "$DATABASE_URL"': { test: BACKUPS },
  'pg_restore --no-owner --exit-on-error --single-transaction --dbname="$RESTORED_DATABASE_URL" taxiwatch.dump': { test: BACKUPS },
  'tar -czf taxiwatch-data.tgz -C data .': { test: BACKUPS },
  'mkdir data && tar -xzf taxiwatch-data.tgz -C data': { test: BACKUPS },

  // The REST API and device protocol with curl, and the simulator
  'curl -s localhost:3000/api/v1/auth/login -H \'content-type: application/json\' -d \'{"email":"owner@taxiwatch.local","password":"…"}\'': { test: API },
  'curl -s localhost:3000/api/v1/auth/me -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s localhost:3000/api/v1/auth/refresh -H \'content-type: application/json\' -d \'{"refresh_token":"…"}\'': { test: API },
  'curl -s localhost:3000/api/v1/auth/logout -H \'content-type: application/json\' -d \'{"refresh_token":"…"}\'': { test: API },
  'curl -X PUT -H "Authorization: Bearer $TOKEN" -H \'content-type: application/json\' -d \'{"driver_id": "<driver id>"}\' http://localhost:3000/api/v1/vehicles/<vehicle id>/driver': { test: API },
  'curl -X PUT … -d \'{"driver_id": null}\' …/api/v1/vehicles/<vehicle id>/driver': { test: API },
  'curl -H "Authorization: Bearer $TOKEN" \'http://localhost:3000/api/v1/vehicles/<vehicle id>/drivers?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z\'': { test: API },
  'curl -H "Authorization: Bearer $DEVICE_KEY" -F "imageFile=@frame.jpg;type=image/jpeg" -F "captured_at=2026-06-01T08:00:00.000Z" http://localhost:3000/api/v1/video/frames/upload': { test: API },
  'curl -H "Authorization: Bearer $DEVICE_KEY" -H "Content-Type: image/jpeg" -H "X-Captured-At: 2026-06-01T08:00:00Z" --data-binary @frame.jpg http://localhost:3000/api/v1/video/frames/upload': { test: API },
  'curl "http://127.0.0.1:3000/api/v1/osmand?id=$KEY&lat=40.4168&lon=-3.7038&timestamp=$(date +%s)&speed=12&bearing=90"': { test: API },
  'curl -s "localhost:3000/api/v1/incidents/$INCIDENT/evidence?before_seconds=20&after_seconds=20" -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s -X POST localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN" -H \'content-type: application/json\' -d \'{"expires_in_minutes": 60}\'': { test: API },
  'curl -s "$SHARE_URL"': { test: API },
  'curl -s localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s -X DELETE localhost:3000/api/v1/incidents/$INCIDENT/share/$LINK_ID -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s -X DELETE localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s -X PATCH localhost:3000/api/v1/incidents/$INCIDENT -H "authorization: Bearer $ACCESS_TOKEN" -H \'content-type: application/json\' -d \'{"status":"false_positive","reason_code":"camera_misaligned","reason":"points at the roof","flag_camera":true}\'': { test: API },
  'curl -s "localhost:3000/api/v1/incidents/stats?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z" -H "authorization: Bearer $ACCESS_TOKEN"': { test: API },
  'curl -s localhost:3000/metrics -H "authorization: Bearer $METRICS_TOKEN" | grep taxiwatch_fixes_total': { test: API },
  'npm run simulate -- --keys <key>,<another key>': { test: API },
  'npm run simulate -- --keys-file keys.txt --taxis 6 --duration 600 --speedup 5 --frame-every 30 --offline-rate 0.05 --seed 7': { test: API },

  // Builds, measurements, benchmarks and evaluation
  'npm run build:web': { test: TOOLS },
  'npm run build:server': { test: TOOLS },
  'npm run measure:idle-rss -- --settle 2 --window 2 --no-demo': { test: TOOLS },
  'npm run measure:idle-rss': { notRun: 'takes about three minutes; its quick form (`-- --settle 2 --window 2 --no-demo`) runs the same code' },
  'npm run bench -- --quick': { test: TOOLS },
  'npm run bench': { notRun: 'takes about six minutes; `npm run bench -- --quick` runs the same code at smoke sizes' },
  'npm run bench -- --db postgres': { notRun: 'full sizes (minutes); `npm run bench -- --quick` runs the same code on both databases' },
  'npm run bench -- --only d --viewers 500,1000,2000': { notRun: 'full sizes (minutes); `npm run bench -- --quick` runs section d at smoke sizes' },
  'npm run bench -- --duration 20 --taxis 200 --fix-batch 10': { notRun: 'full sizes (minutes); `npm run bench -- --quick` runs section c at smoke sizes' },
  'npm run bench -- --db postgres --only c --taxis 5000 --frame-interval 30': { notRun: 'ten times the seed\'s fleet for a minute on Postgres; `npm run bench -- --quick` runs section c with the same code' },
  'npm run bench -- --db postgres --only c --taxis 5000 --frame-interval 30 --server-jobs off': { notRun: 'ten times the seed\'s fleet for a minute on Postgres; bench.smoke.test.ts runs section c with --server-jobs off at smoke sizes' },
  'npm run bench -- --db postgres --only c --connections per-request': { notRun: 'the seed\'s 500 taxis for a minute on Postgres, a connection per request; bench.smoke.test.ts runs section c with --connections per-request at smoke sizes' },
  'npm run bench -- --db postgres --only c --taxis 2500 --frame-interval 30 --connections per-request': { notRun: 'five times the seed\'s fleet for a minute on Postgres, a connection per request; bench.smoke.test.ts runs section c with --connections per-request at smoke sizes' },
  'npm run bench -- --db postgres --only c --connections per-taxi': { notRun: 'the seed\'s 500 taxis for a minute on Postgres, each taxi keeping its own connection; bench.smoke.test.ts runs section c with --connections per-taxi at smoke sizes' },
  'npm run bench -- --db postgres --only c --taxis 2500 --frame-interval 30 --connections per-taxi': { notRun: 'five times the seed\'s fleet for a minute on Postgres, each taxi keeping its own connection; bench.smoke.test.ts runs section c with --connections per-taxi at smoke sizes' },
  'npm run bench -- --db postgres --only c --taxis 5000 --frame-interval 30 --connections per-taxi': { notRun: 'ten times the seed\'s fleet for a minute on Postgres, each taxi keeping its own connection; bench.smoke.test.ts runs section c with --connections per-taxi at smoke sizes' },
  'npm run bench -- --db postgres --only c --taxis 5000 --frame-interval 30 --duration 40': { notRun: 'ten times the seed\'s fleet for 40 s on Postgres; `npm run bench -- --quick` runs section c with the same code' },
  'npm run bench -- --db postgres --only c --taxis 2500 --frame-interval 30 --duration 40': { notRun: 'five times the seed\'s fleet for 40 s on Postgres; `npm run bench -- --quick` runs section c with the same code' },
  'npm run bench -- --db postgres --only c --taxis 2500 --frame-interval 30 --duration 30': { notRun: 'five times the seed\'s fleet for 30 s on Postgres; `npm run bench -- --quick` runs section c with the same code' },
  'npm run bench -- --db postgres --only c': { notRun: 'the seed\'s 500 taxis for a minute on Postgres; `npm run bench -- --quick` runs section c with the same code' },
  'npm run bench -- --db postgres --only f': { notRun: 'the leaderboard over 500 drivers × 90 days on Postgres (minutes of seeding); bench.smoke.test.ts runs section f at smoke sizes' },
  'npm run bench -- --db postgres --only g --vision-taxis 500 --vision-frame-interval 10 --vision-duration 600': { notRun: 'the issue\'s vision scale for ten minutes on Postgres; `npm run bench -- --quick` runs section g with the same code' },
  'npm run bench -- --db postgres --only g --vision-taxis 500 --vision-frame-interval 10 --vision-duration 600 --vision-frames 200': { notRun: 'the issue\'s vision scale for ten minutes on Postgres, with longer throughput rounds; `npm run bench -- --quick` runs section g with the same code' },
  'npm run bench -- --db postgres --only g --vision-duration 1 --vision-taxis 1': { notRun: 'four 60-frame throughput rounds of real worker processes on Postgres (minutes); `npm run bench -- --quick` runs section g with the same code' },
  'npm run bench -- --db postgres --only e': { notRun: 'twenty rounds of ten overlapping 500-fix batches on Postgres; `npm run bench -- --quick` runs section e at smoke sizes' },
  'npm run bench -- --db postgres --only d --viewers 5000': { notRun: '5,000 live viewers on Postgres (minutes); `npm run bench -- --quick` runs section d at smoke sizes' },
  'npm run bench -- --db postgres --only d': { notRun: 'full sizes on Postgres (minutes); `npm run bench -- --quick` runs section d at smoke sizes' },
  'npm run bench -- --cpu-prof /tmp/prof': { notRun: 'full sizes (minutes) with profiling; `npm run bench -- --quick` runs the same code' },
  'npm run bench:store-fixes -- --batches 400': { test: TOOLS },
  'npm run bench:vision-offline -- --frames 40': { test: TOOLS },
  'npm run bench:vision-offline -- --frames 60 --mode pose-hands': { notRun: 'sixty frames of the default models (a minute); the tools test runs `npm run bench:vision-offline -- --frames 40`, the same code in every mode' },
  'npx tsx e2e/vision-dev-set/build-dev-set.ts <folder>': { test: TOOLS },
  'npm run eval:vision': { test: TOOLS },
  'npm run eval:vision -- <folder> [--train <labelled folder>] [--analyser offline|cloud|cascade] [--json] [--limit N] [--language es|en]': { test: TOOLS },
  'npm run eval:assistant -- --engine offline --json': { test: 'e2e/eval-assistant/eval-assistant.test.ts' },
  'npm run eval:assistant -- --set heldout2': { test: 'e2e/eval-assistant/eval-assistant.test.ts' },
  'npm run eval:assistant': { notRun: 'evaluates every question set with the default engine (offline when no model is configured), exactly what `npm run eval:assistant -- --engine offline --json` runs, only printed as a table' },
  'npx tsx web/measure-web.ts [--loads 15] [--taxis 50]': { test: TOOLS },
  "redis-cli --scan --pattern 'test:*'": { test: TOOLS },
  'npx vitest run e2e/browser': { notRun: RUNS_TESTS },
  'npx vitest run web/server/web-admin-pages.test.ts web/islands': { notRun: RUNS_TESTS },
  'npx vitest run e2e/browser/web-admin.test.ts': { notRun: RUNS_TESTS },

  // The camera unit's firmware (firmware/README.md)
  'cmake -S firmware -B firmware/build -G Ninja': { test: FIRMWARE },
  'cmake --build firmware/build --parallel 2': { test: FIRMWARE },
  'firmware/build/core-tests': { test: FIRMWARE },
  'firmware/build/virtual-device --state firmware/build/unit-1 --server "$TAXIWATCH_URL" --key "$DEVICE_KEY" --track "$SHARED_DATA_DIR/gps/normalized/barefoot_munich_x0001-015.csv" --frames "$SHARED_DATA_DIR/images/dashcam/udacity_advlane_test1.jpg" --frame-interval 300': { test: FIRMWARE },
  'pio run': { notRun: ESP32 },
  'pio run -t upload': { notRun: ESP32 },
  'pio device monitor': { notRun: ESP32 },
  'arduino-cli core install esp32:esp32': { notRun: ESP32 },
  'arduino-cli compile --fqbn esp32:esp32:esp32cam:PartitionScheme=custom --library core --build-property "compiler.cpp.extra_flags=-std=gnu++17" esp32-cam': { notRun: ESP32 },
  'arduino-cli upload --fqbn esp32:esp32:esp32cam -p /dev/ttyUSB0 esp32-cam': { notRun: ESP32 },

  // Local vision models: downloads of several GB that are not installed here
  'ollama pull qwen2.5vl:7b': { notRun: 'downloads a 6 GB model with Ollama, which is not installed here; the `npm start` line after it is run against the same URL' },
  'vllm serve Qwen/Qwen2.5-VL-7B-Instruct --port 8000': { notRun: 'needs vLLM and a GPU; the `npm start` line after it is run against the same URL' },
};
