/** The camera roles a device can have, as the web app offers them (the server's list: edge/domain/devices/camera-role.ts). */
export const CAMERA_ROLE_OPTIONS = ['cabin', 'road', 'dual'] as const;
export type CameraRoleOption = (typeof CAMERA_ROLE_OPTIONS)[number];
