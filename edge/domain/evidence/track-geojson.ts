/** A GPS track as a GeoJSON Feature (RFC 7946): positions are [longitude, latitude], times ride in the properties. */
export interface TrackPoint {
  at: string;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
}

export interface TrackFeature {
  type: 'Feature';
  /** null below two points: RFC 7946 requires a LineString to have at least two positions. */
  geometry: { type: 'LineString'; coordinates: Array<[number, number]> } | null;
  properties: { times: string[] };
}

export function trackAsGeoJson(points: TrackPoint[]): TrackFeature {
  return {
    type: 'Feature',
    geometry: points.length >= 2 ? { type: 'LineString', coordinates: points.map((p) => [p.longitude, p.latitude]) } : null,
    properties: { times: points.map((p) => p.at) },
  };
}
