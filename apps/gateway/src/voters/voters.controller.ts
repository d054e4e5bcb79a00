// The card and voter commands over HTTP: check-in (reporter of the area, commune, admin), card
// delivery / unreachable by card number, strike-off and vote elsewhere by voterKey (voters.manage,
// commune scope); each through the CommandExecutor to the voter-cards service.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { voterCardSubjects } from '@hpe/service-kit';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { CommandExecutor } from '../commands/command-executor.js';
import type { CommandAccepted } from '../commands/command-reply-mapping.js';
import { PollingAreaScope } from '../reference/polling-area-scope.js';
import {
  CardDeliveredBody,
  CardUnreachableBody,
  CheckInBody,
  StrikeVoterBody,
  VoteElsewhereBody,
} from './voter-request-bodies.js';
import { VoterScope } from './voter-scope.js';

@Controller('api/v1')
export class VotersController {
  constructor(
    @Inject(CommandExecutor) private readonly commands: CommandExecutor,
    @Inject(PollingAreaScope) private readonly areas: PollingAreaScope,
    @Inject(VoterScope) private readonly voters: VoterScope,
  ) {}

  @Post('check-ins')
  @HttpCode(201)
  @Roles(...rolesFor('polling.record'))
  checkIn(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.commands.execute({
      subject: voterCardSubjects.checkIn,
      resource: 'check-in',
      schema: CheckInBody,
      body,
      principal,
      request,
      authorize: (data) => this.areas.assertMayAct(principal, data.pollingAreaId),
      payload: (data) => ({ ...data }),
    });
  }

  @Post('voter-cards/:cardNumber/delivered')
  @HttpCode(201)
  @Roles(...rolesFor('voters.manage'))
  delivered(
    @Param('cardNumber') cardNumber: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    this.voters.cardAreaOf(cardNumber);
    return this.commands.execute({
      subject: voterCardSubjects.cardDelivered,
      resource: cardNumber,
      schema: CardDeliveredBody,
      body,
      principal,
      request,
      authorize: () => this.voters.assertMayActForCard(principal, cardNumber),
      payload: (data) => ({ cardNumber, ...data }),
    });
  }

  @Post('voter-cards/:cardNumber/unreachable')
  @HttpCode(201)
  @Roles(...rolesFor('voters.manage'))
  unreachable(
    @Param('cardNumber') cardNumber: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    this.voters.cardAreaOf(cardNumber);
    return this.commands.execute({
      subject: voterCardSubjects.cardUnreachable,
      resource: cardNumber,
      schema: CardUnreachableBody,
      body,
      principal,
      request,
      authorize: () => this.voters.assertMayActForCard(principal, cardNumber),
      payload: (data) => ({ cardNumber, ...data }),
    });
  }

  @Post('voters/:voterKey/strike')
  @HttpCode(201)
  @Roles(...rolesFor('voters.manage'))
  strike(
    @Param('voterKey') voterKey: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.commands.execute({
      subject: voterCardSubjects.strike,
      resource: voterKey,
      schema: StrikeVoterBody,
      body,
      principal,
      request,
      authorize: () => this.voters.assertMayActForVoter(principal, voterKey),
      payload: (data) => ({ voterKey, ...data }),
    });
  }

  @Post('voters/:voterKey/vote-elsewhere')
  @HttpCode(201)
  @Roles(...rolesFor('voters.manage'))
  voteElsewhere(
    @Param('voterKey') voterKey: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.commands.execute({
      subject: voterCardSubjects.voteElsewhere,
      resource: voterKey,
      schema: VoteElsewhereBody,
      body,
      principal,
      request,
      authorize: async (data) => {
        // The home commune issues the certificate; the destination must be a real area.
        await this.voters.assertMayActForVoter(principal, voterKey);
        this.areas.assertWellFormed(data.toPollingAreaId);
        await this.areas.communeOf(data.toPollingAreaId);
      },
      payload: (data) => ({ voterKey, ...data }),
    });
  }
}
