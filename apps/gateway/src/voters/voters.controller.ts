// The card and voter commands over HTTP: check-in (reporter of the area, commune, admin), card
// delivery / unreachable by card number, strike-off and vote elsewhere by voterKey (voters.manage,
// commune scope); each through the CommandExecutor to the voter-cards service.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { voterCardSubjects } from '@hpe/service-kit';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { CommandExecutor, type HttpCommand } from '../commands/command-executor.js';
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

/** What a card or voter command takes from its route; the resource, scope and payload are added. */
type CommandOf<T> = Pick<
  HttpCommand<T, object>,
  'subject' | 'schema' | 'body' | 'principal' | 'request'
>;

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
    return this.onCard(cardNumber, {
      subject: voterCardSubjects.cardDelivered,
      schema: CardDeliveredBody,
      body,
      principal,
      request,
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
    return this.onCard(cardNumber, {
      subject: voterCardSubjects.cardUnreachable,
      schema: CardUnreachableBody,
      body,
      principal,
      request,
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
    return this.onVoter(voterKey, {
      subject: voterCardSubjects.strike,
      schema: StrikeVoterBody,
      body,
      principal,
      request,
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
    return this.onVoter(
      voterKey,
      {
        subject: voterCardSubjects.voteElsewhere,
        schema: VoteElsewhereBody,
        body,
        principal,
        request,
      },
      async (data) => {
        // The home commune issues the certificate; the destination must be a real area.
        this.areas.assertWellFormed(data.toPollingAreaId);
        await this.areas.communeOf(data.toPollingAreaId);
      },
    );
  }

  /**
   * A command on one card, by its number: 404 for a number no card can have, then the caller must
   * act for the card's area; the number goes into the payload.
   */
  private onCard<T extends object>(
    cardNumber: string,
    command: CommandOf<T>,
  ): Promise<CommandAccepted> {
    this.voters.cardAreaOf(cardNumber);
    return this.commands.execute({
      ...command,
      resource: cardNumber,
      authorize: () => this.voters.assertMayActForCard(command.principal, cardNumber),
      payload: (data) => ({ cardNumber, ...data }),
    });
  }

  /**
   * A command on one voter, by voterKey: the caller must act for the voter's listed area, then
   * pass `authorizeMore` (if any); the key goes into the payload.
   */
  private onVoter<T extends object>(
    voterKey: string,
    command: CommandOf<T>,
    authorizeMore?: (data: T) => Promise<void>,
  ): Promise<CommandAccepted> {
    return this.commands.execute({
      ...command,
      resource: voterKey,
      authorize: async (data) => {
        await this.voters.assertMayActForVoter(command.principal, voterKey);
        await authorizeMore?.(data);
      },
      payload: (data) => ({ voterKey, ...data }),
    });
  }
}
