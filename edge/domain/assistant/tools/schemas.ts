/** Input fields several tools share, described for the model. */
import { z } from 'zod';
import { INCIDENT_TYPES } from '../../incidents/incident-types.ts';
import { isPeriodSpec, PERIOD_HELP } from '../periods.ts';

export const periodField = z.string().max(40).refine(isPeriodSpec, { message: `expected ${PERIOD_HELP}` }).describe(`Period in the fleet's timezone: ${PERIOD_HELP}`);
export const taxiField = z.string().trim().min(1).max(20).describe("A taxi's plate as the user wrote it (typos are forgiven)");
export const driverField = z.string().trim().min(1).max(100).describe("A driver's name as the user wrote it (one name or full name)");
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const severitiesField = z.array(z.enum(SEVERITIES)).min(1).max(4);
export const incidentTypesField = z.array(z.enum(INCIDENT_TYPES)).min(1).max(INCIDENT_TYPES.length);
