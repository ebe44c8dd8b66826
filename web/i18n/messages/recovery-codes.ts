/** Texts of the second factor's recovery codes: shown once after enrolment, and renewed from the settings page. */
export const recoveryCodesEn = {
  'recoveryCodes.title': 'Recovery codes',
  'recoveryCodes.intro':
    'If you lose the phone with your authenticator app, each of these codes lets you log in once instead. They are shown only now: save them somewhere safe (a password manager, or on paper).',
  'recoveryCodes.copy': 'Copy',
  'recoveryCodes.copied': 'Copied.',
  'recoveryCodes.download': 'Download as a text file',
  'recoveryCodes.saved': 'I have saved these recovery codes',
  'recoveryCodes.continue': 'Continue',
  'mfa.title': 'Two-factor authentication',
  'mfa.on': 'On: {count} unused recovery codes left.',
  'mfa.off': 'Off.',
  'mfa.low': 'Few recovery codes left: make a new set.',
  'mfa.renewHint': 'A new set of ten recovery codes replaces the old one, which stops working. Enter the current code from your authenticator app.',
  'mfa.renew': 'Make new recovery codes',
} as const;

export const recoveryCodesEs: Record<keyof typeof recoveryCodesEn, string> = {
  'recoveryCodes.title': 'Códigos de recuperación',
  'recoveryCodes.intro':
    'Si pierdes el teléfono con tu app de autenticación, cada uno de estos códigos te permite entrar una vez en su lugar. Solo se muestran ahora: guárdalos en un lugar seguro (un gestor de contraseñas, o en papel).',
  'recoveryCodes.copy': 'Copiar',
  'recoveryCodes.copied': 'Copiados.',
  'recoveryCodes.download': 'Descargar como archivo de texto',
  'recoveryCodes.saved': 'He guardado estos códigos de recuperación',
  'recoveryCodes.continue': 'Continuar',
  'mfa.title': 'Verificación en dos pasos',
  'mfa.on': 'Activada: quedan {count} códigos de recuperación sin usar.',
  'mfa.off': 'Desactivada.',
  'mfa.low': 'Quedan pocos códigos de recuperación: genera un juego nuevo.',
  'mfa.renewHint': 'Un juego nuevo de diez códigos de recuperación sustituye al anterior, que deja de funcionar. Introduce el código actual de tu app de autenticación.',
  'mfa.renew': 'Generar códigos nuevos',
};
