import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig('render', { database: true });
