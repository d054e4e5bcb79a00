// POST /api/v1/auth/token (username and password for a Bearer token) and GET /api/v1/auth/me (the
// caller as the token names it, for any role).
import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public } from './decorators.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { loginRequest, LoginService, type TokenAnswer } from './login-service.js';
import type { Principal } from './principal.js';

@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(LoginService) private readonly login: LoginService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiDoc({
    tag: 'auth',
    summary: 'Sign in: a Bearer token with the role and scope of the account',
    body: loginRequest,
    status: 200,
  })
  async token(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenAnswer> {
    const answer = await this.login.login(body, request.ip);
    // RFC 6749 §5.1: token answers are never cached.
    void reply.header('cache-control', 'no-store');
    return answer;
  }

  @Get('me')
  @ApiDoc({ tag: 'auth', summary: 'The caller as its token names it (role, scope)' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
