import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig('queue', { database: false });
