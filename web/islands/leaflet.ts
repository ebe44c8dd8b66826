/**
 * The parts of Leaflet the map islands use, taken from its ES module build: the CommonJS build the `leaflet`
 * package points to costs a wrapper and a helper chunk, and esbuild cannot drop what the islands never use from it.
 * Islands load this module on demand (`import('./leaflet.ts')`); need another part? export it here.
 */
export { circleMarker, control, divIcon, map, marker, polyline, tileLayer } from 'leaflet/dist/leaflet-src.esm.js';
