/**
 * Product questions the assistant answers from TaxiWatch's own documentation (docs/use, docs/integrate), in
 * Spanish and English: the seed's "FAQ context". Each entry says what it is about (`topic`, required) and what one
 * does with it (`action`, optional), as patterns over the normalized question; on a tie the entry listed first wins,
 * so narrower topics (a camera) come before broader ones (a taxi). Keep answers true to the docs.
 */
export interface FaqEntry {
  id: string;
  topic: RegExp;
  action?: RegExp;
  title: { es: string; en: string };
  answer: { es: string; en: string };
  link?: { href: string; es: string; en: string };
}

const ADD = /\b(añad\w*|agreg\w*|alta|registr\w*|crea\w*|nuev[oa]s?|pongo|poner|meter|add\w*|register\w*|creat\w*|new|set ?up|enrol\w*)\b/;

export const FAQ: FaqEntry[] = [
  {
    id: 'add_driver',
    topic: /\b(conductor(es|a|as)?|chofer(es)?|taxistas?|drivers?)\b/,
    action: ADD,
    title: { es: '¿Cómo añado un conductor?', en: 'How do I add a driver?' },
    answer: {
      es: 'En Conductores, como propietario, usa «Añadir conductor»: nombre, número de licencia y fecha de caducidad. Después asígnalo a un taxi desde Taxis. Los lectores solo pueden consultar.',
      en: 'In Drivers, as an owner, use "Add driver": name, licence number and expiry date. Then assign them to a taxi from Taxis. Viewers can only read.',
    },
    link: { href: '/drivers', es: 'Ir a Conductores', en: 'Go to Drivers' },
  },
  {
    id: 'add_device',
    topic: /\b(camaras?|dispositivos?|equipos?|gps|traccar|rastreador\w*|cameras?|devices?|units?|trackers?)\b/,
    action: /\b(instal\w*|configur\w*|poner|pongo|añad\w*|alta|provision\w*|marcha|funcionar|conectar|install\w*|set ?up|setup|add\w*|working|connect\w*|get)\b/,
    title: { es: '¿Cómo instalo una cámara?', en: 'How do I set up a camera?' },
    answer: {
      es: 'En Dispositivos, «Añadir dispositivo»: elige el taxi y, si quieres, un nombre. La clave (twd_…) se muestra una sola vez, como texto y en dos códigos QR: uno para la cámara TaxiWatch y otro para un móvil con Traccar Client.',
      en: 'In Devices, "Add device": pick the taxi and optionally a name. The key (twd_…) is shown once, as text and as two QR codes: one for the TaxiWatch camera and one for a phone running Traccar Client.',
    },
    link: { href: '/devices', es: 'Ir a Dispositivos', en: 'Go to Devices' },
  },
  {
    id: 'add_taxi',
    topic: /\b(taxis?|vehiculos?|coches?|carros?|autos?|cabs?|cars?|vehicles?)\b/,
    action: ADD,
    title: { es: '¿Cómo doy de alta un taxi?', en: 'How do I add a taxi?' },
    answer: {
      es: 'En Taxis, los propietarios añaden un taxi escribiendo su matrícula. Luego instala su cámara en Dispositivos y asígnale un conductor en la lista de Taxis.',
      en: 'In Taxis, owners add a taxi by typing its plate. Then set up its camera in Devices and assign a driver in the Taxis list.',
    },
    link: { href: '/vehicles', es: 'Ir a Taxis', en: 'Go to Taxis' },
  },
  {
    id: 'assign_driver',
    topic: /\b(asign\w*|assign\w*)\b/,
    title: { es: '¿Cómo asigno un conductor a un taxi?', en: 'How do I assign a driver to a taxi?' },
    answer: {
      es: 'En Taxis, cada fila tiene un selector de conductor: elige uno y se guarda al momento (una licencia caducada se señala). El mapa muestra el conductor actual al tocar el taxi.',
      en: 'In Taxis, each row has a driver selector: pick one and it is saved at once (an expired licence is flagged). Tapping a taxi on the map shows its current driver.',
    },
    link: { href: '/vehicles', es: 'Ir a Taxis', en: 'Go to Taxis' },
  },
  {
    id: 'severity',
    topic: /\b(severidad(es)?|gravedad|severity|severities|critic[oa]|critical)\b|\b(alta|media|baja|high|medium|low)\b.*\b(alta|media|baja|high|medium|low)\b/,
    title: { es: '¿Qué significa la severidad?', en: 'What does severity mean?' },
    answer: {
      es: 'Cada incidente tiene una severidad: baja, media, alta o crítica. Las reglas la fijan por tipo: un exceso de velocidad es bajo, medio o alto a 0, 15 o 30 km/h por encima del límite; el uso del móvil es alto; la somnolencia es alta y crítica cuando los ojos están casi cerrados en los cuatro últimos fotogramas; una frenada brusca es alta a partir de 1,5 veces el umbral. Las alertas críticas pueden sonar y vibrar en el navegador, y un webhook puede pedir solo desde una severidad (min_severity).',
      en: 'Every incident has a severity: low, medium, high or critical. The rules set it per type: speeding is low, medium or high at 0, 15 or 30 km/h over the limit; phone use is high; drowsiness is high, and critical when the eyes are nearly shut in all of the last four frames; harsh braking is high from 1.5 times the threshold. Critical alerts can sound and vibrate in the browser, and a webhook can ask only for a severity and up (min_severity).',
    },
    link: { href: '/incidents', es: 'Ver incidentes', en: 'See incidents' },
  },
  {
    id: 'incident_types',
    topic: /\b(frenad[oa]s?|frenazos?|aceleracion|acelerones?|exceso|ralenti|somnolencia|bostezos?|distraccion|harsh|braking|acceleration|speeding|idling|drowsiness|yawning|distraction|tipos? de incidentes?|incident types?)\b/,
    title: { es: '¿Qué significa cada tipo de incidente?', en: 'What does each incident type mean?' },
    answer: {
      es: 'Por telemetría: frenada o aceleración brusca cuando la velocidad cambia al menos 3,5 o 3,0 m/s² entre dos posiciones a menos de 5 s; exceso de velocidad al ir más de 5 km/h por encima del límite de la flota durante 30 s o más; ralentí prolongado. Por cámara: uso del móvil, somnolencia, bostezos, distracción (cabeza girada), fumar, posible accidente, sin conductor visible y cámara tapada.',
      en: 'From telemetry: harsh braking or acceleration when speed changes by at least 3.5 or 3.0 m/s² between two fixes under 5 s apart; speeding when over the fleet limit by more than 5 km/h for 30 s or more; long idling. From the camera: phone use, drowsiness, yawning, distraction (head turned away), smoking, possible accident, no driver visible and camera blocked.',
    },
    link: { href: '/incidents', es: 'Ver incidentes', en: 'See incidents' },
  },
  {
    id: 'acknowledge_alert',
    topic: /\b(alertas?|alerts?|avisos?)\b/,
    action: /\b(reconoc\w*|acknowledg\w*|confirm\w*|atiend\w*|atender|visto|vista|leid[oa]|seen|read|dismiss\w*|marc\w*|mark\w*)\b/,
    title: { es: '¿Cómo reconozco una alerta?', en: 'How do I acknowledge an alert?' },
    answer: {
      es: 'En Alertas, pulsa «Reconocer» en la alerta (propietarios; los lectores no pueden). Abrir el incidente de una alerta la marca como leída, y la cabecera muestra cuántas quedan sin leer.',
      en: 'In Alerts, press "Acknowledge" on the alert (owners; viewers cannot). Opening an alert\'s incident marks it read, and the header shows how many are unread.',
    },
    link: { href: '/alerts', es: 'Ir a Alertas', en: 'Go to Alerts' },
  },
  {
    id: 'false_positive',
    topic: /\b(falsos? positivos?|false positives?|falsa alarma|false alarm|wrong|incorrect[oa]?|equivocad[oa]|error(oneo|onea)?|mistake|mal detectad[oa])\b/,
    title: { es: '¿Cómo marco un falso positivo?', en: 'How do I mark a false positive?' },
    answer: {
      es: 'Abre el incidente y elige «Falso positivo»: hay que decir por qué (detección errónea, cámara desalineada, pasajero, reflejos, prueba u otro, con texto). Con «cámara desalineada» puedes marcar a la vez la cámara del taxi.',
      en: 'Open the incident and choose "False positive": say why (misdetection, camera misaligned, passenger, glare, test, or other with a text). With "camera misaligned" you can flag the taxi\'s camera in the same step.',
    },
    link: { href: '/incidents', es: 'Ver incidentes', en: 'See incidents' },
  },
  {
    id: 'share_evidence',
    topic: /\b(compart\w*|share\w*|enlace|link|enviar|send|aseguradora|insurer|policia|police)\b/,
    title: { es: '¿Cómo comparto las pruebas de un incidente?', en: "How do I share an incident's evidence?" },
    answer: {
      es: 'Los propietarios crean un enlace para compartir con POST /api/v1/incidents/{id}/share (caduca entre 5 minutos y 7 días; 24 horas por defecto). Quien lo abre ve las imágenes y el recorrido sin cuenta; puedes retirarlo cuando quieras y todo queda en el registro de auditoría.',
      en: 'Owners create a share link with POST /api/v1/incidents/{id}/share (it expires in 5 minutes to 7 days; 24 hours by default). Whoever opens it sees the frames and the track without an account; you can withdraw it at any time, and it is all in the audit log.',
    },
  },
  {
    id: 'language',
    topic: /\b(idiomas?|lenguaje|language|ingles|español|espanol|castellano|english|spanish)\b/,
    title: { es: '¿Cómo cambio el idioma?', en: 'How do I change the language?' },
    answer: {
      es: 'Con los enlaces ES / EN de la cabecera; la elección se recuerda en este navegador. El idioma de la flota, en Ajustes, es el de las alertas y las descripciones de los incidentes.',
      en: 'With the ES / EN links in the header; the choice is remembered in this browser. The fleet\'s language, in Settings, is the one alerts and incident descriptions are written in.',
    },
    link: { href: '/settings', es: 'Ir a Ajustes', en: 'Go to Settings' },
  },
  {
    id: 'offline_meaning',
    topic: /\b(desconectad[oa]s?|offline|fuera de linea|sin conexion)\b/,
    title: { es: '¿Qué significa que un taxi esté desconectado?', en: 'What does offline mean?' },
    answer: {
      es: 'Un taxi pasa a desconectado cuando no ha enviado posiciones durante el tiempo de desconexión de la flota (10 minutos por defecto, en Ajustes). Si estaba sin cobertura y luego envía lo pendiente, sus viajes siguen como si nada.',
      en: 'A taxi goes offline when it has sent no position for the fleet\'s offline time (10 minutes by default, in Settings). If it was out of coverage and then uploads its backlog, its trips carry on as if nothing happened.',
    },
    link: { href: '/map', es: 'Ver el mapa', en: 'See the map' },
  },
  {
    id: 'api_keys',
    topic: /\b(api|claves? de api|api keys?|integracion\w*|integrat\w*|tokens?)\b/,
    title: { es: '¿Cómo creo una clave de API?', en: 'How do I create an API key?' },
    answer: {
      es: 'Los propietarios crean claves con POST /api/v1/api-keys, con un nombre y sus permisos (por ejemplo read:incidents, o chat para este asistente); también con npm run admin -- create-api-key. La clave (twk_…) se muestra una sola vez. Una clave nunca gestiona usuarios ni otras claves.',
      en: 'Owners create keys with POST /api/v1/api-keys, giving a name and scopes (for example read:incidents, or chat for this assistant); also with npm run admin -- create-api-key. The key (twk_…) is shown once. A key never manages users or other keys.',
    },
  },
  {
    id: 'webhooks',
    topic: /\b(webhooks?|callbacks?)\b/,
    title: { es: '¿Cómo configuro webhooks?', en: 'How do I set up webhooks?' },
    answer: {
      es: 'Con POST /api/v1/webhooks: la URL y los eventos (new_alert, incident_updated, …). La respuesta trae una sola vez el secreto de firma (whsec_…) para verificar cada envío; con min_severity HIGH solo recibes alertas altas y críticas.',
      en: 'With POST /api/v1/webhooks: the URL and the events (new_alert, incident_updated, …). The answer carries the signing secret (whsec_…) once, to verify each delivery; with min_severity HIGH you only get high and critical alerts.',
    },
  },
  {
    id: 'team_members',
    topic: /\b(usuarios?|lector(es)?|viewers?|despachador\w*|dispatcher\w*|operador\w*|compañer[oa]s?|colleagues?|team|people|personas?|users?|someone|alguien)\b/,
    action: /\b(añad\w*|agreg\w*|invit\w*|crea\w*|acceso|access|add\w*|creat\w*|only (view|read)|read.only|solo (ver|lectura)|de lectura)\b/,
    title: { es: '¿Cómo añado a alguien que solo pueda ver?', en: 'How do I add someone who can only view?' },
    answer: {
      es: 'En Ajustes, los propietarios añaden o quitan lectores (por ejemplo, un despachador): lo ven todo pero no cambian nada. A los propietarios los añade un administrador de la plataforma.',
      en: 'In Settings, owners add or remove viewers (a dispatcher, say): they see everything but change nothing. Owners are added by a platform admin.',
    },
    link: { href: '/settings', es: 'Ir a Ajustes', en: 'Go to Settings' },
  },
  {
    id: 'licence_alerts',
    topic: /\b(licencias?|licences?|licenses?|carnet|permisos?)\b/,
    action: /\b(avis\w*|alert\w*|warn\w*|notif\w*|cuando|when)\b/,
    title: { es: '¿Cuándo me avisáis de licencias que caducan?', en: 'When am I warned about licences expiring?' },
    answer: {
      es: 'Recibes una alerta cuando a la licencia de un conductor le quedan menos de 30 días (baja), otra con menos de 7 (media) y otra cuando caduca (alta), cada una una sola vez, a partir de las 08:00 de la zona horaria de la flota. Renovar la fecha en Conductores empieza de nuevo.',
      en: 'You get an alert when a driver\'s licence has under 30 days left (low), another under 7 days (medium) and one when it expires (high), each once, from 08:00 in the fleet\'s timezone. Renewing the date in Drivers starts afresh.',
    },
    link: { href: '/drivers', es: 'Ir a Conductores', en: 'Go to Drivers' },
  },
  {
    id: 'rotate_key',
    topic: /\b(claves?|keys?)\b/,
    action: /\b(rota\w*|nueva|new|renov\w*|cambi\w*|change|rotat\w*|revoc\w*|revoke)\b/,
    title: { es: '¿Cómo cambio la clave de un dispositivo?', en: "How do I rotate a device's key?" },
    answer: {
      es: 'En Dispositivos, «Nueva clave»: tras confirmar, el dispositivo recibe una clave nueva (se muestra una vez, con sus QR) y la antigua sigue valiendo 24 horas para que la unidad recoja la nueva. «Revocar» la rechaza al momento y para siempre.',
      en: 'In Devices, "New key": after a confirmation the device gets a new key (shown once, with its QR codes) and the old one keeps working for 24 hours so the unit can pick up the new one. "Revoke" refuses it at once and for good.',
    },
    link: { href: '/devices', es: 'Ir a Dispositivos', en: 'Go to Devices' },
  },
  {
    id: 'speed_limit',
    topic: /\b(limites? de velocidad|velocidad maxima|speed limits?|limits?|limites?|umbral\w*|thresholds?)\b/,
    title: { es: '¿Cómo cambio el límite de velocidad?', en: 'How do I change the speed limit?' },
    answer: {
      es: 'En Ajustes están el límite de velocidad de la flota y los umbrales de las reglas de conducción; los propietarios los cambian y se aplican a las posiciones que lleguen desde entonces. Un exceso de velocidad es ir más de 5 km/h por encima del límite durante 30 s o más.',
      en: 'Settings holds the fleet\'s speed limit and the driving-rule thresholds; owners change them and they apply to fixes from then on. Speeding is going over the limit by more than 5 km/h for 30 s or more.',
    },
    link: { href: '/settings', es: 'Ir a Ajustes', en: 'Go to Settings' },
  },
  {
    id: 'two_factor',
    topic: /\b(2fa|mfa|totp|dos factores|doble factor|two.factor|autenticacion|authenticat\w*|autenticador)\b/,
    title: { es: '¿Cómo funciona la verificación en dos pasos?', en: 'How does two-factor sign-in work?' },
    answer: {
      es: 'Las cuentas con una app de autenticación (TOTP) piden su código tras la contraseña. Los administradores de la plataforma la configuran con un código QR en su primer inicio de sesión.',
      en: 'Accounts with an authenticator app (TOTP) are asked for its code after the password. Platform admins set one up with a QR code on their first sign-in.',
    },
  },
  {
    id: 'assistant_privacy',
    topic: /\b(asistente|assistant|chat|chatbot|tu|you)\b/,
    action: /\b(otras? flotas?|other fleets?|ver|see|datos|data|privac\w*|guard\w*|store|keep|borrar|delete|historial|history)\b/,
    title: { es: '¿Qué datos ve el asistente?', en: 'What data does the assistant see?' },
    answer: {
      es: 'Solo los de tu flota: responde con herramientas limitadas a tu flota (las mismas consultas que la API) y nunca ejecuta SQL ni ve otras flotas. Cada conversación es de quien la empezó, se guarda 90 días (configurable) y se puede borrar.',
      en: 'Only your fleet\'s: it answers through tools limited to your fleet (the same queries as the API) and never runs SQL or sees other fleets. Each conversation belongs to whoever started it, is kept 90 days (configurable) and can be deleted.',
    },
  },
  {
    id: 'camera_misaligned',
    topic: /\b(desalinead[oa]|misalign\w*|mal (orientad|colocad|puest)[oa]|torcid[oa]|movid[oa]|moved|crooked)\b/,
    title: { es: '¿Qué hago si una cámara está mal orientada?', en: 'What if a camera is misaligned?' },
    answer: {
      es: 'Márcala al revisar un incidente (falso positivo por cámara desalineada) o en el taxi: sus imágenes se siguen analizando y la marca guarda desde cuándo, quién y por qué.',
      en: 'Flag it when reviewing an incident (false positive, camera misaligned) or on the taxi: its frames are still analysed, and the flag records since when, who and why.',
    },
  },
];
