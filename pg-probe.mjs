import { PGlite } from '@electric-sql/pglite';
let t=performance.now();
const a = new PGlite(); await a.query('select 1'); console.log('mem', performance.now()-t);
t=performance.now();
const b = new PGlite(); await b.query('select 1'); console.log('mem2', performance.now()-t);
t=performance.now();
const c = new PGlite('/tmp/pgd-'+Date.now()); await c.query('select 1'); console.log('dir', performance.now()-t);
t=performance.now();
const dump = await a.dumpDataDir('none'); console.log('dump', performance.now()-t, dump.size);
t=performance.now();
const d = new PGlite({loadDataDir: dump}); await d.query('select 1'); console.log('fromdump', performance.now()-t);
console.log(process.memoryUsage().rss/1e6)
