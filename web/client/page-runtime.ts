/**
 * The modules main.tsx loads on every page, gathered so the build can inject this file into every island chunk
 * (web/build.ts). Without it esbuild puts each shared module into a chunk per set of islands that use it: /map
 * then fetched nine small files for code the page always has. With every island importing this file, all of it
 * shares one chunk. List only what main.tsx already loads (directly or through its imports): anything else here
 * would be downloaded by every page.
 */
import 'preact';
import 'preact/hooks';
import 'preact/jsx-runtime';
import '@preact/signals';
import '../i18n/i18n.ts';
import '../islands/use-i18n.ts';
import './api.ts';
import './critical-alarm.ts';
import './live-feed.ts';
import './stores.ts';
