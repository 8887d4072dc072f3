import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AGENT_STATUSES, type Agent, type AgentLite, type AgentStatus } from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';
import { pageOf } from '../../../infra/http/openapi/responses.js';

const status = () =>
  ApiProperty({ enum: AGENT_STATUSES, enumName: 'AgentStatus', example: 'active' });

@ApiSchema({ name: 'Agent' })
export class AgentDto implements Agent {
  @ApiProperty({ format: 'uuid', example: '7f0e4d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' })
  workspaceId!: string;

  @ApiProperty({ example: 'Researcher' })
  name!: string;

  @ApiProperty({ example: 'Finds and summarises sources' })
  role!: string;

  @ApiProperty({ example: 'gpt-4o-mini' })
  model!: string;

  @status()
  status!: AgentStatus;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { temperature: '0.2', language: 'en' },
  })
  settings!: Record<string, string>;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

@ApiSchema({ name: 'AgentLite', description: '`view=lite`: what a status board needs' })
export class AgentLiteDto implements AgentLite {
  @ApiProperty({ format: 'uuid', example: '7f0e4d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f' })
  id!: string;

  @ApiProperty({ example: 'Researcher' })
  name!: string;

  @status()
  status!: AgentStatus;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

export const AgentPageDto = pageOf(AgentDto, 'AgentPage');
export const AgentLitePageDto = pageOf(AgentLiteDto, 'AgentLitePage');

sameKeys<AgentDto, Agent>(true);
sameKeys<AgentLiteDto, AgentLite>(true);
