// Runs the SQL of one file in an in-memory DuckDB (the @duckdb/node-api package, a dev dependency
// for the bench only): `node scripts/lib/duckdb-run.mjs query.sql`. The statement writes its own
// output (COPY ... TO '/dev/stdout'), so DuckDB formats every row as the other tools do.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: duckdb-run.mjs FILE.sql');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(readFileSync(file, 'utf8'));
