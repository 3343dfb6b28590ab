import { TopicEntity } from '../modules/topics/entities/topic.entity';
import { UserEntity } from '../modules/users/entities/user.entity';

/**
 * The TypeORM entities, for the two modules that read and write through TypeORM repositories
 * (users, topics). Every other table is read and written with SQL in its module's repository;
 * the schema is the migrations', never derived from entities.
 */
export const ENTITIES = [UserEntity, TopicEntity];
