import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig('auth', { database: true });
