// GET /api/v1/openapi.json: the document of every route this gateway serves, built once on first
// request from the controllers Nest discovered.
import { Controller, Get, Inject } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Public } from '../auth/decorators.js';
import { ApiDoc } from './api-doc.decorator.js';
import { buildOpenApiDocument, type ControllerClass } from './openapi-document.js';

@Controller('api/v1')
export class OpenApiController {
  private document: Record<string, unknown> | undefined;

  constructor(@Inject(DiscoveryService) private readonly discovery: DiscoveryService) {}

  @Get('openapi.json')
  @Public()
  @ApiDoc({ summary: 'This document', tag: 'meta' })
  openapi(): Record<string, unknown> {
    this.document ??= buildOpenApiDocument(
      this.discovery
        .getControllers()
        .map((wrapper) => wrapper.metatype)
        .filter((m): m is ControllerClass => typeof m === 'function'),
      { title: 'Hải Phòng election day API', version: '1.0.0' },
    );
    return this.document;
  }
}
