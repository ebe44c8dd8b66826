/**
 * Every tool the assistant has, in the order the offline parser breaks ties. Adding one: a file in this folder
 * exporting `defineTool({...})`, and a line here.
 */
import type { AssistantTool } from '../tool.ts';
import { coachingQueueTool, driverScoreTool } from './coaching.ts';
import { deviceProblemsTool } from './device-problems.ts';
import { driverRankingTool } from './driver-ranking.ts';
import { expiringLicencesTool } from './expiring-licences.ts';
import { incidentsTool } from './incidents.ts';
import { productHelpTool } from './product-help.ts';
import { taxiDriverTool } from './taxi-driver.ts';
import { taxiLocationTool } from './taxi-location.ts';
import { taxisByStatusTool } from './taxis-by-status.ts';
import { tripsTool } from './trips.ts';
import { unacknowledgedAlertsTool } from './unacknowledged-alerts.ts';
import { visionSpendTool } from './vision-spend.ts';

export const ASSISTANT_TOOLS: AssistantTool[] = [
  taxiLocationTool,
  taxiDriverTool,
  driverScoreTool,
  coachingQueueTool,
  driverRankingTool,
  incidentsTool,
  tripsTool,
  taxisByStatusTool,
  expiringLicencesTool,
  deviceProblemsTool,
  unacknowledgedAlertsTool,
  visionSpendTool,
  productHelpTool,
];

export const toolNamed = (name: string, tools: AssistantTool[] = ASSISTANT_TOOLS) => tools.find((t) => t.name === name);
