import { AccountRepository } from '@app/persistence';
import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { ACCOUNTS, presentAccount } from './accounts.schemas';

/** Accounts as a first-class list: configured or discovered, last reached, coverage, posture. */
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'List the audited accounts',
    description:
      'Every account a scan planned: from the configuration or discovered in the Resource Directory; whether the latest scan still covers it, when a scan last reached it and the first error it met, its coverage and open findings by severity.',
    access: 'reader',
    responses: { 200: { description: 'Every account', schema: ACCOUNTS } },
  })
  async list(): Promise<z.input<typeof ACCOUNTS>> {
    return { items: (await this.accounts.list()).map(presentAccount) };
  }
}
