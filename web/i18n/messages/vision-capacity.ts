/**
 * Texts of the admin console's vision capacity table (issue 20): lag, analysed share and skips per fleet; and the
 * incident page's "Analyse again" on a frame.
 */
export const visionCapacityEn = {
  'admin.vision': 'Vision (frames received in the last {minutes} min)',
  'admin.visionFleet': 'Fleet',
  'admin.visionReceived': 'Received',
  'admin.visionAnalysed': 'Analysed',
  'admin.visionSkipped': 'Skipped (stale / backlog)',
  'admin.visionPending': 'Waiting',
  'admin.visionLag': 'Lag p50 / p95',
  'admin.visionHighLag': 'High-priority lag p95',
  'admin.visionNone': 'No frames in this window.',
  'evidence.analyseAgain': 'Analyse again',
  'evidence.analyseQueued': 'Queued for analysis, ahead of routine frames. The result replaces this frame’s analysis.',
  'evidence.analyseAlready': 'Already queued for analysis.',
};

export const visionCapacityEs: Record<keyof typeof visionCapacityEn, string> = {
  'admin.vision': 'Visión (imágenes recibidas en los últimos {minutes} min)',
  'admin.visionFleet': 'Flota',
  'admin.visionReceived': 'Recibidas',
  'admin.visionAnalysed': 'Analizadas',
  'admin.visionSkipped': 'Omitidas (antiguas / cola llena)',
  'admin.visionPending': 'En espera',
  'admin.visionLag': 'Retraso p50 / p95',
  'admin.visionHighLag': 'Retraso p95 de alta prioridad',
  'admin.visionNone': 'Ninguna imagen en este intervalo.',
  'evidence.analyseAgain': 'Analizar de nuevo',
  'evidence.analyseQueued': 'En cola para analizar, antes que las imágenes rutinarias. El resultado sustituye al análisis de esta imagen.',
  'evidence.analyseAlready': 'Ya está en cola para analizar.',
};
