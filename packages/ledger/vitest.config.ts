import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig('ledger', { database: true });
