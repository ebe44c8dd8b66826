/**
 * A small map of the day's tracks, drawn as vector paths (no tile service): each taxi's track in its own colour,
 * projected with Web Mercator into the box, incidents as dots coloured by severity, and a scale bar.
 */
import { rgb, type RGB } from 'pdf-lib';
import { COLORS, type Drawing } from './report-document.ts';
import { toWinAnsi } from './win-ansi.ts';

export interface MapTrack {
  label: string;
  /** Runs of [latitude, longitude]; a new run starts after a gap, so no straight line crosses the city. */
  runs: Array<Array<[number, number]>>;
}

export interface MapPoint {
  latitude: number;
  longitude: number;
  severity: string;
}

const PALETTE: RGB[] = [rgb(0.13, 0.45, 0.82), rgb(0.1, 0.6, 0.35), rgb(0.55, 0.3, 0.75), rgb(0.85, 0.5, 0.1), rgb(0.1, 0.6, 0.65), rgb(0.75, 0.3, 0.5), rgb(0.45, 0.45, 0.2), rgb(0.3, 0.3, 0.6)];
const SEVERITY: Record<string, RGB> = { LOW: rgb(0.55, 0.6, 0.65), MEDIUM: rgb(0.95, 0.7, 0.1), HIGH: rgb(0.9, 0.4, 0.1), CRITICAL: rgb(0.8, 0.1, 0.1) };

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));

export function trackMap(tracks: MapTrack[], points: MapPoint[], options: { height: number; scaleLabel: (km: number) => string }): Drawing {
  return (page, x, top, width, fonts) => {
    const height = options.height - 22;
    page.drawRectangle({ x, y: top - height, width, height, color: COLORS.band, borderColor: COLORS.rule, borderWidth: 0.6 });
    const all = [...tracks.flatMap((t) => t.runs.flat()), ...points.map((p) => [p.latitude, p.longitude] as [number, number])];
    if (all.length === 0) return;
    const lons = all.map(([, lon]) => lon);
    const ys = all.map(([lat]) => mercatorY(lat));
    const [minX, maxX, minY, maxY] = [Math.min(...lons), Math.max(...lons), Math.min(...ys), Math.max(...ys)];
    const spanX = Math.max((maxX - minX) * (Math.PI / 180), 1e-6);
    const spanY = Math.max(maxY - minY, 1e-6);
    const pad = 8;
    const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
    const offX = x + (width - spanX * scale) / 2;
    const offY = top - height + (height - spanY * scale) / 2;
    const project = ([lat, lon]: [number, number]) => ({ px: offX + (lon - minX) * (Math.PI / 180) * scale, py: offY + (mercatorY(lat) - minY) * scale });

    tracks.forEach((track, i) => {
      const color = PALETTE[i % PALETTE.length];
      for (const run of track.runs) {
        if (run.length < 2) continue;
        // drawSvgPath puts the origin at (x, y) with y growing downwards: write page coordinates relative to (0, 0).
        const d = run.map((p, j) => {
          const { px, py } = project(p);
          return `${j === 0 ? 'M' : 'L'}${px.toFixed(1)} ${(-py).toFixed(1)}`;
        });
        page.drawSvgPath(d.join(' '), { x: 0, y: 0, borderColor: color, borderWidth: 1.1, borderLineCap: 1 });
      }
    });
    for (const point of points) {
      const { px, py } = project([point.latitude, point.longitude]);
      page.drawCircle({ x: px, y: py, size: 2.6, color: SEVERITY[point.severity] ?? COLORS.muted, borderColor: rgb(1, 1, 1), borderWidth: 0.5 });
    }

    // Scale bar: a round distance about a quarter of the width, at the map's middle latitude.
    const midLat = (Math.max(...all.map(([lat]) => lat)) + Math.min(...all.map(([lat]) => lat))) / 2;
    const metresPerPoint = (6_371_000 * Math.cos((midLat * Math.PI) / 180)) / scale;
    const target = (width / 4) * metresPerPoint;
    const nice = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].map((km) => km * 1000).filter((m) => m <= target).at(-1) ?? 100;
    const barWidth = nice / metresPerPoint;
    const by = top - height + 6;
    page.drawLine({ start: { x: x + 8, y: by }, end: { x: x + 8 + barWidth, y: by }, thickness: 1.5, color: COLORS.text });
    page.drawText(toWinAnsi(options.scaleLabel(nice / 1000)), { x: x + 12 + barWidth, y: by - 2, size: 7, font: fonts.regular, color: COLORS.text });

    // Legend: the first taxis' colours.
    let lx = x;
    const ly = top - height - 12;
    tracks.slice(0, 6).forEach((track, i) => {
      const label = toWinAnsi(track.label);
      page.drawLine({ start: { x: lx, y: ly + 3 }, end: { x: lx + 10, y: ly + 3 }, thickness: 2, color: PALETTE[i % PALETTE.length] });
      page.drawText(label, { x: lx + 13, y: ly, size: 7, font: fonts.regular, color: COLORS.muted });
      lx += 20 + fonts.regular.widthOfTextAtSize(label, 7);
    });
    if (tracks.length > 6) page.drawText(`+${tracks.length - 6}`, { x: lx, y: ly, size: 7, font: fonts.regular, color: COLORS.muted });
  };
}
