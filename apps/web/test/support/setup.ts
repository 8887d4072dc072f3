import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

import { cancelPendingRefreshes } from '../../src/lib/refresh';

// Testing Library unmounts between tests only when the runner exposes globals; say it here.
afterEach(() => {
  cleanup();
  cancelPendingRefreshes();
});
