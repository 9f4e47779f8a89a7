import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig('live', { database: true });
