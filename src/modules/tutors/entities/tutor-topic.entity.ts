import { Entity, PrimaryColumn } from 'typeorm';

@Entity('tutor_topics')
export class TutorTopicEntity {
  @PrimaryColumn('uuid', { name: 'tutor_id' })
  tutorId: string;

  @PrimaryColumn('uuid', { name: 'topic_id' })
  topicId: string;
}
