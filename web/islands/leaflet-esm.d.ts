// Leaflet's ES module build has the same API as the package; its types come from @types/leaflet.
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
