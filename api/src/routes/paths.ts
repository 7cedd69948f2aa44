import { z } from 'zod';
import { idOrUidSchema } from '@hookline/core';

// Path parameter schemas shared by the route files.
export const appPath = z.object({ app: idOrUidSchema });
export const endpointPath = appPath.extend({ endpoint: idOrUidSchema });
export const messagePath = appPath.extend({ msg: idOrUidSchema });
